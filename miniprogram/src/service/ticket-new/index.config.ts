export default definePageConfig({
  navigationBarTitleText: '问题反馈',
  backgroundColor: '#EDEDED',
})
