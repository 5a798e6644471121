export default definePageConfig({
  navigationBarTitleText: '关于',
  backgroundColor: '#EDEDED',
})
