export default definePageConfig({
  navigationBarTitleText: '添加卡片',
  backgroundColor: '#EDEDED',
})
