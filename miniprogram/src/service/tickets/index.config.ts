export default definePageConfig({
  navigationBarTitleText: '问题反馈',
  enablePullDownRefresh: true,
  onReachBottomDistance: 100,
  backgroundColor: '#EDEDED',
})
