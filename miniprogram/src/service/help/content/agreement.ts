import type { PolicyDoc } from './types'

/** 用户协议: what the service does, what the person agrees to, and what we promise. */
export const USER_AGREEMENT: PolicyDoc = {
  title: '用户协议',
  effective: '2026-11-28',
  intro: '欢迎使用武汉通充值小程序。使用前请阅读本协议；使用即表示你同意以下内容。',
  sections: [
    {
      heading: '一、服务内容',
      paragraphs: [
        '本小程序为你绑定的武汉通卡提供在线充值，并为充值开具电子发票。支付通过微信支付完成。',
        '预付卡充值按规定开具不征税普通发票，不能开具增值税专用发票。',
      ],
    },
    {
      heading: '二、你需要做的',
      paragraphs: [
        '充值前核对卡号和金额；开票前核对抬头和税号。因卡号填写错误充到他人卡上的，我们会协助核实，但可能无法追回。',
        '只为本人或有权使用的卡片充值，只使用真实的发票抬头。',
      ],
    },
    {
      heading: '三、我们承诺的',
      paragraphs: [
        '付款成功的充值一定到账；支付结果暂时未确认的，我们会主动向微信支付核实，不会让你重复付款。',
        '同一笔充值只开具一张有效发票；开错的可以按规定换开。',
        '问题反馈在 1 个工作日内回复。',
      ],
    },
    {
      heading: '四、其他',
      paragraphs: ['个人信息的处理见《隐私政策》。本协议如有变更，会在小程序中提前公告。'],
    },
  ],
}
