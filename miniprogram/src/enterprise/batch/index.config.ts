export default definePageConfig({
  navigationBarTitleText: '企业批量开票',
  backgroundColor: '#EDEDED',
})
