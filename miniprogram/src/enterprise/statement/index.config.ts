export default definePageConfig({
  navigationBarTitleText: '对账单',
  backgroundColor: '#EDEDED',
})
