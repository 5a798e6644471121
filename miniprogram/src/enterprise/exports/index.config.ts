export default definePageConfig({
  navigationBarTitleText: '导出发票',
  backgroundColor: '#EDEDED',
})
