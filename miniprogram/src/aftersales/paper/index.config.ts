export default definePageConfig({
  navigationBarTitleText: '邮寄纸质版',
  backgroundColor: '#EDEDED',
})
