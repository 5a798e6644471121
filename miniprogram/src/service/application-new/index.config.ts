export default definePageConfig({
  navigationBarTitleText: '申请补开发票',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
