/**
 * 人民币大写 as printed on a 数电票 (DOMAIN.md): 圆, not 元; 整 whenever there is no 分, also
 * after 角; one 零 for a run of zeros, and 零 after 圆 when the 元 digit is 0 but 角 is not:
 *   69200 -> 陆佰玖拾贰圆整        24690 -> 贰佰肆拾陆圆玖角整
 *    8586 -> 捌拾伍圆捌角陆分      1070 -> 壹拾圆零柒角整
 *    1005 -> 壹拾圆零伍分           5 -> 伍分
 *
 * One home for the speller (convention 14): the cloud functions' domain and the mini-program's
 * preview both import this module, so what a person previews is what the invoice prints.
 * Pure and dependency-free so either bundle can carry it.
 */
const DIGITS = '零壹贰叁肆伍陆柒捌玖'
const SMALL = ['', '拾', '佰', '仟']
const BIG = ['', '万', '亿', '万亿']

/** The capitals of a whole number of yuan, without the unit: 1001 -> 壹仟零壹. */
function integerPart(n: number): string {
  if (n === 0) return ''
  const groups: number[] = []
  for (let x = n; x > 0; x = Math.floor(x / 10000)) groups.push(x % 10000)
  let out = ''
  let pendingZero = false
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g]
    if (group === 0) {
      pendingZero = out !== ''
      continue
    }
    let text = ''
    let zero = pendingZero || (out !== '' && group < 1000)
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(group / 10 ** i) % 10
      if (d === 0) {
        if (text !== '') zero = true
        continue
      }
      if (zero && (text !== '' || out !== '')) text += '零'
      zero = false
      text += DIGITS[d] + SMALL[i]
    }
    out += text + BIG[g]
    pendingZero = group % 10 === 0
  }
  return out
}

/** The capitals of a non-negative amount in fen (integer). */
export function amountInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error('amountInCapitals: fen must be a non-negative integer')
  if (fen === 0) return '零圆整'
  const yuan = Math.floor(fen / 100)
  const jiao = Math.floor(fen / 10) % 10
  const f = fen % 10
  let out = yuan > 0 ? integerPart(yuan) + '圆' : ''
  if (jiao > 0) {
    // 壹拾圆零柒角整: the 元 digit is 0, so a 零 stands for it before the 角
    if (yuan > 0 && yuan % 10 === 0) out += '零'
    out += DIGITS[jiao] + '角'
  } else if (f > 0 && yuan > 0) {
    out += '零' // 壹拾圆零伍分: 角 is 0 between 圆 and 分
  }
  return f > 0 ? out + DIGITS[f] + '分' : out + '整'
}

/**
 * The 价税合计（大写） of a document, signed: a red-letter invoice (negative total) prints
 * （负数） before the capitals of the absolute amount, as the tax bureau's red 数电票 do.
 */
export function totalInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error('totalInCapitals: fen must be an integer')
  return fen < 0 ? `（负数）${amountInCapitals(-fen)}` : amountInCapitals(fen)
}
