import type { Card } from '../../../types/domain'
import { parseCardGroup, parseCardNo, parseNickname, maskCardNo } from '../domain/card'
import { DomainError } from '../domain/errors'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredCard } from '../ports/card.repo'
import type { Deps } from '../runtime/deps'

const toCard = ({ openid: _openid, ...card }: StoredCard): Card => card

/** The caller's cards; with `group`, only that group's ('' = the cards without a group). */
export async function listCards(deps: Deps, openid: string, group?: string): Promise<Card[]> {
  const cards = (await deps.cards.listByOwner(openid)).map(toCard)
  if (group === undefined) return cards
  const want = group.trim() === '' ? null : parseCardGroup(group)
  return cards.filter((c) => (c.group ?? null) === want)
}

/**
 * The card limit of this person: people who keep an enterprise title (a company's accountant
 * topping up its employees' cards) get the larger ENTERPRISE_MAX_CARDS, everyone else
 * MAX_CARDS_PER_USER.
 */
export async function cardLimitOf(deps: Deps, openid: string): Promise<number> {
  const titles = await deps.titles.listByOwner(openid)
  const enterprise = titles.some((t) => t.kind === 'enterprise' && !!t.taxId)
  return enterprise ? Math.max(deps.config.enterprise.maxCardsPerUser, deps.config.topup.maxCardsPerUser) : deps.config.topup.maxCardsPerUser
}

/** 分组: sets, renames or (blank / null) clears the group label of one of the caller's cards. */
export async function setCardGroup(deps: Deps, openid: string, cardId: string, raw: string | null): Promise<Card> {
  const group = parseCardGroup(raw)
  if (!(await deps.cards.setGroup(openid, cardId, group))) throw new DomainError('CARD.NOT_FOUND', '找不到这张卡，请刷新后重试')
  return toCard(await ownedCard(deps, openid, cardId))
}

export async function bindCard(deps: Deps, openid: string, input: { cardNo: string; nickname?: string }): Promise<Card> {
  const cardNo = parseCardNo(input.cardNo)
  const nickname = parseNickname(input.nickname, cardNo)
  const max = await cardLimitOf(deps, openid)
  const card: StoredCard = { id: deps.random.id(), openid, cardNo, nickname, createdAt: deps.clock.now().toISOString() }
  try {
    // the count and the insert are one atomic step, so concurrent binds cannot pass the limit
    if (!(await deps.cards.insertWithinLimit(card, max))) throw new DomainError('CARD.LIMIT_REACHED', `最多绑定 ${max} 张卡，请先解绑不用的卡片`)
  } catch (e) {
    if (e instanceof DuplicateKeyError) throw new DomainError('CARD.ALREADY_BOUND', '这张卡已绑定，无需重复添加')
    throw e
  }
  deps.log.info('card bound', { card: maskCardNo(cardNo) })
  return toCard(card)
}

/** Loads a card the caller owns; someone else's card is reported as not found (no probing). */
export async function ownedCard(deps: Deps, openid: string, cardId: string): Promise<StoredCard> {
  const card = await deps.cards.findById(cardId)
  if (!card || card.openid !== openid) throw new DomainError('CARD.NOT_FOUND', '找不到这张卡，请刷新后重试')
  return card
}

export async function removeCard(deps: Deps, openid: string, cardId: string): Promise<void> {
  if (!(await deps.cards.remove(openid, cardId))) throw new DomainError('CARD.NOT_FOUND', '找不到这张卡，请刷新后重试')
}
