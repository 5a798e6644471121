export default definePageConfig({
  navigationBarTitleText: '我的卡片',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
