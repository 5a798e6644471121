export default definePageConfig({
  navigationBarTitleText: '操作指南',
  backgroundColor: '#EDEDED',
})
