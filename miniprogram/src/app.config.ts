export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/invoice/index',
    'pages/mine/index',
    'pages/card-add/index',
    'pages/cards/index',
    'pages/orders/index',
    'pages/pay-result/index',
    'pages/about/index',
    'pages/invoice-detail/index',
    'pages/titles/index',
    'pages/title-edit/index',
    'pages/settings/index',
  ],
  subPackages: [
    {
      root: 'aftersales',
      pages: ['correction/index', 'paper/index', 'paper-detail/index'],
    },
    {
      root: 'service',
      pages: [
        'applications/index',
        'application-new/index',
        'application-detail/index',
        'tickets/index',
        'ticket-new/index',
        'ticket-detail/index',
        'help/index',
        'help-guide/index',
        'privacy/index',
        'agreement/index',
      ],
    },
    {
      root: 'enterprise',
      pages: ['batch/index', 'batch-detail/index', 'exports/index', 'statement/index', 'verify/index'],
    },
  ],
  // 邮寄纸质版 offers 使用微信收货地址 (wx.chooseAddress must be declared; also in the 隐私保护指引)
  requiredPrivateInfos: ['chooseAddress'],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#EDEDED',
    navigationBarBackgroundColor: '#EDEDED',
    navigationBarTitleText: '武汉通充值',
    navigationBarTextStyle: 'black',
  },
  tabBar: {
    // AA contrast on the bar (#7A7E83 / #07C160 were 4.0:1 / 2.3:1): the tokens' --text-2 / --brand-strong
    color: '#5C5C5C',
    selectedColor: '#06783B',
    backgroundColor: '#F7F7F7',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '充值',
        iconPath: 'assets/tab/topup.png',
        selectedIconPath: 'assets/tab/topup-active.png',
      },
      {
        pagePath: 'pages/invoice/index',
        text: '发票',
        iconPath: 'assets/tab/invoice.png',
        selectedIconPath: 'assets/tab/invoice-active.png',
      },
      {
        pagePath: 'pages/mine/index',
        text: '我的',
        iconPath: 'assets/tab/mine.png',
        selectedIconPath: 'assets/tab/mine-active.png',
      },
    ],
  },
})
