export default definePageConfig({
  navigationBarTitleText: '发票',
  enablePullDownRefresh: true,
  onReachBottomDistance: 100,
  backgroundColor: '#EDEDED',
})
