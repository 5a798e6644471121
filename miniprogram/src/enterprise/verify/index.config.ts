export default definePageConfig({
  navigationBarTitleText: '发票验真',
  backgroundColor: '#EDEDED',
})
