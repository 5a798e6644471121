/** The shapes of the help content (data files beside this one; components only render them). */

/** what a question or guide is about; pages link to a topic (`/service/help/index?topic=invoice`) */
export type HelpTopic = 'topup' | 'invoice' | 'correction' | 'paper' | 'lost' | 'enterprise' | 'account'

export interface Faq {
  id: string
  topic: HelpTopic
  q: string
  a: string
  /** other words people type for the same question (search only) */
  keywords?: string[]
}

export interface GuideStep {
  title: string
  text: string
}

export interface Guide {
  id: string
  topic: HelpTopic
  title: string
  summary: string
  steps: GuideStep[]
  /** the hint where the problem usually starts (UX.md) */
  tip?: string
  /** a page inside the app that does it, with its button text */
  action?: { text: string; url: string; tab?: boolean }
  keywords?: string[]
}

/** A policy page (隐私政策, 用户协议): numbered sections of plain paragraphs. */
export interface PolicyDoc {
  title: string
  /** YYYY-MM-DD the text took effect */
  effective: string
  intro: string
  sections: { heading: string; paragraphs: string[] }[]
}
