import type { Guide } from './types'

/** Step-by-step guides, one per thing people come to do. Button texts match the app's. */
export const GUIDES: Guide[] = [
  {
    id: 'topup',
    topic: 'topup',
    title: '给武汉通卡充值',
    summary: '绑卡、选金额、微信支付，一分钟完成',
    steps: [
      { title: '绑定卡片', text: '在「充值」页点「+ 添加卡片」，输入卡片背面的 16 位卡号，可以起个名字，如「上班卡」。' },
      { title: '选择金额', text: '点选 20 / 50 / 100 / 200 元，或点「自定义」输入金额。' },
      { title: '核对并支付', text: '点「确认充值」，核对卡号和金额，点「去支付」，用微信支付完成付款。' },
      { title: '查看结果', text: '回到小程序会显示「支付成功」。网络不好时会显示「支付确认中」，请不要重复支付，稍候会自动更新。' },
    ],
    tip: '充值前请核对卡号：卡号错了，钱会充到别人的卡上。',
    action: { text: '去充值', url: '/pages/index/index', tab: true },
    keywords: ['充值', '绑卡', '支付', '金额'],
  },
  {
    id: 'invoice',
    topic: 'invoice',
    title: '为充值开发票',
    summary: '充值成功后，选记录、选抬头，几秒开具',
    steps: [
      { title: '进入待开票', text: '点底部「发票」，在「待开票」中勾选要开票的充值记录，多笔可以合并开一张。' },
      { title: '选择抬头', text: '点「开票」，选择个人或单位抬头。单位抬头要填写纳税人识别号（税号）。' },
      { title: '填写邮箱并确认', text: '填写接收发票的邮箱（可不填），核对后点确认。' },
      { title: '查看和下载', text: '几秒后发票开具完成，在「发票 → 已开票」打开即可下载 PDF 或发送到邮箱。' },
    ],
    tip: '充值前请核对抬头和税号；专票不适用于充值：预付卡充值只能开具不征税普通发票。',
    action: { text: '去开票', url: '/pages/invoice/index', tab: true },
    keywords: ['开票', '抬头', '税号', '合并', '报销'],
  },
  {
    id: 'correction',
    topic: 'correction',
    title: '发票抬头错了：换开',
    summary: '原发票红冲作废，同时开一张正确的新发票',
    steps: [
      { title: '打开发票', text: '在「发票 → 已开票」打开开错的那张发票。' },
      { title: '申请换开', text: '点「发票有误？申请换开」，选择或新建正确的抬头，核对新旧对比后确认。' },
      { title: '等待完成', text: '原发票红冲作废，新发票随后开具。单位抬头若已入账，需要单位在 72 小时内在税务数字账户确认。' },
    ],
    tip: '只是邮箱填错不用换开：在发票详情点「发送到邮箱」重新发送即可。',
    keywords: ['换开', '红冲', '填错', '作废'],
  },
  {
    id: 'paper',
    topic: 'paper',
    title: '要一份纸质发票',
    summary: '数电发票可直接报销；确需纸质件可邮寄',
    steps: [
      { title: '打开发票', text: '在「发票 → 已开票」打开要邮寄的发票。' },
      { title: '申请邮寄', text: '点「邮寄纸质版」，填写或选择收件地址，提交。' },
      { title: '查看进度', text: '在「我的 → 我的申请」查看处理进度和快递单号。' },
    ],
    tip: '纸质件是电子发票的打印件，不是另开一张发票。',
    keywords: ['纸质', '邮寄', '快递', '打印'],
  },
  {
    id: 'lost',
    topic: 'lost',
    title: '找不到发票了',
    summary: '邮件没收到、删了、换了手机，都能找回',
    steps: [
      { title: '先查邮箱', text: '没收到邮件？请查看垃圾邮件箱或广告邮件，搜索「发票」。' },
      { title: '在小程序里找', text: '点底部「发票」→「已开票」，可按月份、卡片筛选，打开后下载 PDF。' },
      { title: '重新发送', text: '在发票详情点「发送到邮箱」，可以发到另一个邮箱，不会重复开票。' },
      { title: '还是找不到', text: '在「我的 → 问题反馈」选「没收到发票」，客服会在 1 个工作日内回复。' },
    ],
    action: { text: '打开已开票', url: '/pages/invoice/index', tab: true },
    keywords: ['丢', '找回', '没收到', '邮件'],
  },
  {
    id: 'enterprise',
    topic: 'enterprise',
    title: '单位报销怎么开',
    summary: '单位抬头 + 税号，多笔合并，一次报销',
    steps: [
      { title: '添加单位抬头', text: '在「我的 → 发票抬头」添加单位抬头，填写单位名称和税号，页面会当场校验税号。' },
      { title: '设为默认', text: '把单位抬头设为默认，并在「我的 → 设置」打开自动开票，以后每次充值自动开具。' },
      { title: '合并开票', text: '也可以攒几笔充值，在「发票 → 待开票」多选后合并开一张。' },
    ],
    tip: '预付卡充值只能开具不征税普通发票，不能开专票，也不能抵扣进项税。',
    action: { text: '管理发票抬头', url: '/pages/titles/index' },
    keywords: ['单位', '公司', '报销', '税号', '企业'],
  },
]
