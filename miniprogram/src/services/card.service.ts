import type { Card } from '@shared/domain'
import { CARD_GROUP_MAX, CARD_NO_LENGTH, cardGroupProblem, cardNoProblem } from '@shared/card-rules'
import { callFunction } from './cloud'

export { CARD_GROUP_MAX, CARD_NO_LENGTH }
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

/** 分组: sets or renames (blank or null clears) the group label of one of my cards. */
export async function setCardGroup(cardId: string, group: string | null): Promise<Card> {
  const { card } = await callFunction('card', 'setGroup', { cardId, group: group && group.trim() ? group.trim() : null })
  return card
}

/** Inline check of a group label (the cloud's own rule, types/card-rules.ts). */
export function validateCardGroup(group: string): string | null {
  return cardGroupProblem(group)
}

/** The distinct group labels of my cards, in the order they first appear. */
export function groupsOf(cards: readonly Card[]): string[] {
  return [...new Set(cards.map((c) => c.group).filter((g): g is string => !!g))]
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
