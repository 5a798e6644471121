import type { Card } from '@shared/domain'
import { callFunction } from './cloud'

export const CARD_NO_LENGTH = 16
export const NICKNAME_MAX_LENGTH = 20

export async function listCards(): Promise<Card[]> {
  const { cards } = await callFunction('card', 'list', {})
  return cards
}

export async function bindCard(cardNo: string, nickname: string): Promise<Card> {
  const trimmed = nickname.trim()
  const { card } = await callFunction('card', 'bind', {
    cardNo: cardNo.replace(/\D/g, ''),
    ...(trimmed ? { nickname: trimmed } : {}),
  })
  return card
}

export async function removeCard(cardId: string): Promise<void> {
  await callFunction('card', 'remove', { cardId })
}

/** Inline check before sending; the cloud checks again and has the last word. */
export function validateCardNo(digits: string): string | null {
  if (digits.length === 0) return '请输入卡号'
  if (!/^\d+$/.test(digits)) return '卡号只能是数字'
  if (digits.length !== CARD_NO_LENGTH) return `卡号为 ${CARD_NO_LENGTH} 位数字，当前 ${digits.length} 位，请核对卡面`
  return null
}

export function validateNickname(nickname: string): string | null {
  if (Array.from(nickname.trim()).length > NICKNAME_MAX_LENGTH) return `备注名最多 ${NICKNAME_MAX_LENGTH} 个字`
  return null
}

/** How a card is named in lists: its nickname, or 武汉通 + last four digits. */
export function cardLabel(card: Pick<Card, 'nickname' | 'cardNo'>): string {
  return card.nickname || `武汉通 ${card.cardNo.slice(-4)}`
}
