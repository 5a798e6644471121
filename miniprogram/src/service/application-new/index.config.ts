export default definePageConfig({
  navigationBarTitleText: '申请补开发票',
  backgroundColor: '#EDEDED',
})
