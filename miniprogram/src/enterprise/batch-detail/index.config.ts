export default definePageConfig({
  navigationBarTitleText: '批量开票进度',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
