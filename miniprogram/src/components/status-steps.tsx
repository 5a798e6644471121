import { View } from '@tarojs/components'
import './status-steps.css'

export type StepState = 'done' | 'current' | 'todo' | 'stopped'

export interface Step {
  label: string
  state: StepState
}

/**
 * Where a case stands, as a row of steps (已提交 → 审核中 → 已通过 → 已完成); a case that ended
 * early (未通过, 已撤回) shows that end as its last step, in red.
 */
export function StatusSteps({ steps, id }: { steps: Step[]; id?: string }) {
  return (
    <View className='steps' id={id}>
      {steps.map((s, i) => (
        <View key={`${s.label}-${i}`} className={`steps__item steps__item--${s.state}`}>
          <View className='steps__bar'>
            <View className={i === 0 ? 'steps__line steps__line--hidden' : 'steps__line'} />
            <View className='steps__dot'>{s.state === 'done' ? '✓' : s.state === 'stopped' ? '!' : i + 1}</View>
            <View className={i === steps.length - 1 ? 'steps__line steps__line--hidden' : 'steps__line'} />
          </View>
          <View className='steps__label'>{s.label}</View>
        </View>
      ))}
    </View>
  )
}

/**
 * The steps of a linear flow: `order` is the happy path, `at` the status reached; an `ended`
 * status (not on the path) replaces the step after the last one reached.
 */
export function stepsOf<S extends string>(order: S[], labels: Record<S, string>, at: S, ended?: { after: S }): Step[] {
  if (ended) {
    const cut = order.indexOf(ended.after) + 1
    return [...order.slice(0, cut).map((s) => ({ label: labels[s], state: 'done' as const })), { label: labels[at], state: 'stopped' as const }]
  }
  const idx = order.indexOf(at)
  const last = idx === order.length - 1
  return order.map((s, i) => ({
    label: labels[s],
    state: i < idx || (last && i === idx) ? ('done' as const) : i === idx ? ('current' as const) : ('todo' as const),
  }))
}
