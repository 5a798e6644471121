export default definePageConfig({
  navigationBarTitleText: '我的',
  backgroundColor: '#EDEDED',
})
