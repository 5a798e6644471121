import type { Card } from '@shared/domain'
import { CARD_NO_LENGTH, cardNoProblem } from '@shared/card-rules'
import { callFunction } from './cloud'

export { CARD_NO_LENGTH }
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

/** Inline check before sending (length and the Luhn check digit, the cloud's own rule); the cloud checks again. */
export function validateCardNo(digits: string): string | null {
  return cardNoProblem(digits)
}

export function validateNickname(nickname: string): string | null {
  if (Array.from(nickname.trim()).length > NICKNAME_MAX_LENGTH) return `备注名最多 ${NICKNAME_MAX_LENGTH} 个字`
  return null
}

/** How a card is named in lists: its nickname, or 武汉通 + last four digits. */
export function cardLabel(card: Pick<Card, 'nickname' | 'cardNo'>): string {
  return card.nickname || `武汉通 ${card.cardNo.slice(-4)}`
}
