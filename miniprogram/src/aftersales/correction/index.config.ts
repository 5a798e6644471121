export default definePageConfig({
  navigationBarTitleText: '申请换开',
  enablePullDownRefresh: true,
  backgroundColor: '#EDEDED',
})
