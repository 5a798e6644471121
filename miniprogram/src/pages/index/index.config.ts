export default definePageConfig({
  navigationBarTitleText: '武汉通充值',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
