export default definePageConfig({
  navigationBarTitleText: '纸质版邮寄',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
