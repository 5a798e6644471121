/**
 * 人民币大写 for an amount in fen: 100.00 -> 壹佰元整, 1409.50 -> 壹仟肆佰零玖元伍角,
 * 6007.14 -> 陆仟零柒元壹角肆分, 0.05 -> 伍分, 10.05 -> 壹拾元零伍分.
 * A run of zeros is one 零; 角 zero with 分 non-zero writes 零 after 元.
 */
const DIGITS = '零壹贰叁肆伍陆柒捌玖'
const SMALL = ['', '拾', '佰', '仟']
const BIG = ['', '万', '亿', '万亿']

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

export function amountInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error('amountInCapitals: fen must be a non-negative integer')
  if (fen === 0) return '零元整'
  const yuan = Math.floor(fen / 100)
  const jiao = Math.floor(fen / 10) % 10
  const f = fen % 10
  let out = yuan > 0 ? integerPart(yuan) + '元' : ''
  if (jiao === 0 && f === 0) return out + '整'
  if (jiao > 0) out += DIGITS[jiao] + '角'
  else if (yuan > 0) out += '零'
  if (f > 0) out += DIGITS[f] + '分'
  return out
}
