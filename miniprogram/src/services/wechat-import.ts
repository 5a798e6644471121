/**
 * What WeChat's own pickers answer, mapped to our forms: wx.chooseInvoiceTitle (发票抬头) and
 * wx.chooseAddress (收货地址). Pure, so the mapping is tested against the answers as
 * miniprogram-api-typings declares them (tests/weapp); the page and the hook only call the API.
 */
import type { PaperAddress } from '@shared/aftersales'
import type { TitleKind } from '@shared/domain'

/** wx.chooseInvoiceTitle's success answer (the fields we use); `type` is 0 单位 or 1 个人. */
export interface WechatInvoiceTitle {
  type: 0 | 1 | string
  title?: string
  taxNumber?: string
  companyAddress?: string
  telephone?: string
  bankName?: string
  bankAccount?: string
}

export interface ImportedTitle {
  kind: TitleKind
  name: string
  taxId: string
  address: string
  phone: string
  bankName: string
  bankAccount: string
}

/** Spaces out, upper case (the same rule as profile.service normalizeTaxId). */
const taxIdOf = (raw: string) => raw.replace(/\s/g, '').toUpperCase()

export function titleFromWechat(res: WechatInvoiceTitle): ImportedTitle {
  // 1 is 个人; anything else (0, or a future value) is read as 单位, which asks for a tax ID
  const kind: TitleKind = String(res.type) === '1' ? 'personal' : 'enterprise'
  return {
    kind,
    name: res.title ?? '',
    taxId: taxIdOf(res.taxNumber ?? ''),
    address: res.companyAddress ?? '',
    phone: res.telephone ?? '',
    bankName: res.bankName ?? '',
    bankAccount: res.bankAccount ?? '',
  }
}

/** wx.chooseAddress's success answer (the fields we use). */
export interface WechatAddress {
  userName?: string
  telNumber?: string
  provinceName?: string
  cityName?: string
  countyName?: string
  detailInfo?: string
  postalCode?: string
}

export function addressFromWechat(r: WechatAddress): PaperAddress {
  return {
    recipient: r.userName ?? '',
    phone: r.telNumber ?? '',
    province: r.provinceName ?? '',
    city: r.cityName ?? '',
    district: r.countyName ?? '',
    detail: r.detailInfo ?? '',
    postalCode: r.postalCode ?? '',
  }
}
