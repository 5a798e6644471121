/** Searching the help content: pure, so it can be tested without a page. */
import type { Faq, Guide, HelpTopic } from './content/types'

/** The words of a query: split on spaces and punctuation, lower case. */
function terms(query: string): string[] {
  return query
    .toLowerCase()
    .split(/[\s,，。？?！!、;；:：]+/u)
    .filter((t) => t.length > 0)
}

/** Every term appears somewhere in the text (AND): 「邮件 没收到」 finds the mail question. */
function matches(text: string, words: string[]): boolean {
  const hay = text.toLowerCase()
  return words.every((w) => hay.includes(w))
}

const faqText = (f: Faq) => [f.q, f.a, ...(f.keywords ?? [])].join(' ')
const guideText = (g: Guide) => [g.title, g.summary, g.tip ?? '', ...g.steps.flatMap((s) => [s.title, s.text]), ...(g.keywords ?? [])].join(' ')

export interface HelpResults {
  guides: Guide[]
  faqs: Faq[]
}

/** Guides and questions matching the query (all of them for an empty one); titles first. */
export function searchHelp(query: string, guides: Guide[], faqs: Faq[]): HelpResults {
  const words = terms(query)
  if (words.length === 0) return { guides, faqs }
  const rank = (title: string) => (matches(title, words) ? 0 : 1)
  return {
    guides: guides.filter((g) => matches(guideText(g), words)).sort((a, b) => rank(a.title) - rank(b.title)),
    faqs: faqs.filter((f) => matches(faqText(f), words)).sort((a, b) => rank(a.q) - rank(b.q)),
  }
}

/** The guides and questions of one topic (a page that links to `?topic=`). */
export function byTopic(topic: HelpTopic, guides: Guide[], faqs: Faq[]): HelpResults {
  return { guides: guides.filter((g) => g.topic === topic), faqs: faqs.filter((f) => f.topic === topic) }
}

export const HELP_TOPICS: HelpTopic[] = ['topup', 'invoice', 'correction', 'paper', 'lost', 'enterprise', 'account']

export function isHelpTopic(value: string): value is HelpTopic {
  return (HELP_TOPICS as string[]).includes(value)
}
