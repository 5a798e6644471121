import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { Canvas as TaroCanvas, View } from '@tarojs/components'
import { Axis, Canvas, Chart, Interval, Legend, jsx } from '@antv/f2'
import type { StatementMonthView } from '@shared/ledger'
import { decorative } from '../../components/a11y'

const CANVAS_ID = 'stmt-chart'
/** F2's element factory; its typings do not accept its own generic component classes, the runtime does */
const el = jsx as unknown as (type: unknown, props: Record<string, unknown>) => { props: Record<string, unknown> }

/**
 * Canvas colours from the design tokens: H5 reads the CSS variables; weapp (no CSS variables
 * in script) uses the same values as styles/tokens.css.
 */
function tokens(): { invoiced: string; open: string; text: string; font: number } {
  // --font-xs (12 px) is the floor of the type scale; 大字模式 raises --scale to 1.3
  const fallback = { invoiced: '#07c160', open: '#fa9d3b', text: '#4c4c4c', font: 12 }
  if (process.env.TARO_ENV !== 'h5') return fallback
  const page = document.querySelector('.page') ?? document.documentElement
  const css = getComputedStyle(page)
  const v = (name: string, d: string) => css.getPropertyValue(name).trim() || d
  const scale = Number(v('--scale', '1')) || 1
  return { invoiced: v('--brand', fallback.invoiced), open: v('--warn-fill', fallback.open), text: v('--text-2', fallback.text), font: Math.round(12 * scale) }
}

interface Surface {
  context: CanvasRenderingContext2D
  width: number
  height: number
  pixelRatio: number
}

/** The 2d context of our canvas, sized for the screen (weapp: the canvas node; H5: Taro's inner <canvas>). */
function surfaceOf(id: string): Promise<Surface | null> {
  const pixelRatio = Taro.getSystemInfoSync().pixelRatio || 1
  if (process.env.TARO_ENV === 'h5') {
    const canvas = document.querySelector<HTMLCanvasElement>(`#${id} canvas`) ?? document.querySelector<HTMLCanvasElement>(`canvas#${id}`)
    if (!canvas) return Promise.resolve(null)
    const { width, height } = canvas.getBoundingClientRect()
    canvas.width = Math.round(width * pixelRatio)
    canvas.height = Math.round(height * pixelRatio)
    const context = canvas.getContext('2d')
    return Promise.resolve(context ? { context, width, height, pixelRatio } : null)
  }
  return new Promise((resolve) => {
    Taro.createSelectorQuery()
      .select(`#${id}`)
      .fields({ node: true, size: true })
      .exec((res: unknown[]) => {
        const r = res?.[0] as
          { node?: { width: number; height: number; getContext(t: '2d'): CanvasRenderingContext2D }; width: number; height: number } | undefined
        if (!r?.node) return resolve(null)
        r.node.width = Math.round(r.width * pixelRatio)
        r.node.height = Math.round(r.height * pixelRatio)
        resolve({ context: r.node.getContext('2d'), width: r.width, height: r.height, pixelRatio })
      })
  })
}

/** Stacked bars per month (已开票 / 未开票, in yuan), drawn with AntV F2 on a 2d canvas. */
export function StatementChart({ months }: { months: StatementMonthView[] }) {
  useEffect(() => {
    let chart: Canvas | null = null
    let gone = false
    Taro.nextTick(() => {
      void surfaceOf(CANVAS_ID).then((surface) => {
        if (!surface || gone) return
        const c = tokens()
        const label = { fill: c.text, fontSize: c.font }
        const data = months.flatMap((m) => [
          { month: `${m.month}月`, kind: '已开票', yuan: m.invoicedFen / 100 },
          { month: `${m.month}月`, kind: '未开票', yuan: m.notInvoicedFen / 100 },
        ])
        const { props } = el(Canvas, {
          ...surface,
          animate: false,
          children: el(Chart, {
            data,
            children: [
              el(Axis, { field: 'month', style: { label } }),
              el(Axis, { field: 'yuan', style: { label } }),
              el(Interval, { x: 'month', y: 'yuan', color: { field: 'kind', range: [c.invoiced, c.open] }, adjust: 'stack' }),
              el(Legend, { position: 'top', nameStyle: label }),
            ],
          }),
        })
        chart = new Canvas(props)
        void chart.render()
      })
    })
    return () => {
      gone = true
      chart?.destroy()
    }
  }, [months])

  return (
    <View
      className='stmt-chart-box'
      {...(process.env.TARO_ENV === 'h5' ? { role: 'img' } : { 'aria-role': 'img' })}
      aria-label='每月充值与开票柱状图，数值见下方表格'
    >
      {/* the drawing itself is hidden from screen readers: the box above names it, the table says it */}
      <TaroCanvas type='2d' id={CANVAS_ID} className='stmt-chart' {...decorative()} />
    </View>
  )
}
