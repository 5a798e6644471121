import { useCallback, useEffect, useRef, useState } from 'react'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import type { InvoiceDetail } from '@shared/domain'
import { Page } from '../../components/page'
import { BottomSheet } from '../../components/bottom-sheet'
import { ErrorState, Loading } from '../../components/state-view'
import {
  INVOICE_EVENT_LABEL,
  INVOICE_STATUS_LABEL,
  INVOICE_STATUS_TAG,
  ITEM_NAME,
  SELLER_NAME,
  TAX_RATE_LABEL,
  getFiles,
  getInvoice,
  isInFlight,
  resendInvoice,
  shortSha,
} from '../../services/invoice.service'
import { getSettings, validateEmail } from '../../services/profile.service'
import { openInvoiceFile } from '../../services/download.service'
import { errorMessage } from '../../services/cloud'
import { amountInCapitals, formatDateTime, formatFen, formatTime } from '../../services/format'

const POLL_INTERVAL_MS = 2000
const POLL_LIMIT_MS = 60_000

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** "2026-11-28 12:30" -> "2026年11月28日" for the preview */
function cnDate(iso: string | null): string {
  const s = formatDateTime(iso)
  if (!s) return ''
  const [y, m, d] = s.slice(0, 10).split('-')
  return `${y}年${m}月${d}日`
}

/** lastError comes from the issuing service; keep it short and say what happens next. */
function failureText(inv: InvoiceDetail): string {
  const reason = inv.lastError ? `开票服务返回：${inv.lastError.slice(0, 60)}` : '开票服务暂时出错'
  const retry = inv.nextRetryAt ? `将于 ${formatTime(inv.nextRetryAt)} 自动重试` : '系统会自动重试'
  return `${reason}。${retry}，无需重新申请。`
}

export default function InvoiceDetailPage() {
  const { params } = useRouter()
  const invoiceId = safeDecode(params.id ?? '')
  const [invoice, setInvoice] = useState<InvoiceDetail | null>(null)
  const [error, setError] = useState<string | null>(invoiceId ? null : '缺少发票编号，请从「发票」进入')
  const [slow, setSlow] = useState(false)
  const [busy, setBusy] = useState<'pdf' | 'xml' | null>(null)
  const [sheet, setSheet] = useState(false)
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [sendError, setSendError] = useState<string | null>(null)
  const alive = useRef(true)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const loaded = useRef(false)
  const shownOnce = useRef(false)

  /** Loads the invoice; while it is being issued, asks again every 2 s for up to 60 s. */
  const watch = useCallback(() => {
    if (!invoiceId) return Promise.resolve()
    if (timer.current) clearTimeout(timer.current)
    const started = Date.now()
    setSlow(false)
    const tick = async (): Promise<void> => {
      let next: InvoiceDetail | null = null
      try {
        next = await getInvoice(invoiceId)
      } catch (e) {
        if (!alive.current) return
        if (!loaded.current) {
          setError(errorMessage(e))
          return
        }
        // a lost poll is retried on the next tick
      }
      if (!alive.current) return
      if (next) {
        loaded.current = true
        setInvoice(next)
        setError(null)
      }
      const inFlight = next ? isInFlight(next.status) : true
      if (!inFlight) return
      if (Date.now() - started < POLL_LIMIT_MS) timer.current = setTimeout(() => void tick(), POLL_INTERVAL_MS)
      else setSlow(true)
    }
    return tick()
  }, [invoiceId])

  useEffect(() => {
    alive.current = true
    void watch()
    return () => {
      alive.current = false
      if (timer.current) clearTimeout(timer.current)
    }
  }, [watch])

  // back on this page (e.g. after opening the PDF): quietly refresh
  useDidShow(() => {
    if (!shownOnce.current) {
      shownOnce.current = true
      return
    }
    if (loaded.current) void watch()
  })

  usePullDownRefresh(() => {
    void watch().finally(() => Taro.stopPullDownRefresh())
  })

  async function download(kind: 'pdf' | 'xml') {
    if (!invoice || busy) return
    setBusy(kind)
    try {
      const files = await getFiles(invoice.id)
      const name = `发票_${invoice.invoiceNo ?? invoice.id}.${kind}`
      await openInvoiceFile(kind === 'pdf' ? files.pdfUrl : files.xmlUrl, kind, name)
      if (process.env.TARO_ENV === 'h5') Taro.showToast({ title: '已开始下载', icon: 'none' })
    } catch (e) {
      Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      if (alive.current) setBusy(null)
    }
  }

  function openResend() {
    if (!invoice) return
    setEmail(invoice.email ?? '')
    setEmailError(null)
    setSendError(null)
    setSheet(true)
    if (!invoice.email) {
      getSettings()
        .then((p) => setEmail((cur) => cur || p.settings.defaultEmail || ''))
        .catch(() => undefined)
    }
  }

  async function onSend() {
    if (!invoice || sending) return
    const invalid = email.trim() === '' ? '请填写接收邮箱' : validateEmail(email)
    setEmailError(invalid)
    if (invalid) return
    setSending(true)
    setSendError(null)
    try {
      await resendInvoice(invoice.id, email)
      setSheet(false)
      Taro.showToast({ title: '已加入发送队列', icon: 'success' })
      void watch()
    } catch (e) {
      setSendError(errorMessage(e))
    } finally {
      setSending(false)
    }
  }

  function copyNumber() {
    if (!invoice?.invoiceNo) return
    Taro.setClipboardData({ data: invoice.invoiceNo }).catch(() => undefined)
  }

  if (error) {
    return (
      <Page>
        <ErrorState
          message={error}
          onRetry={() => {
            if (!invoiceId) {
              Taro.switchTab({ url: '/pages/invoice/index' })
              return
            }
            setError(null)
            void watch()
          }}
        />
      </Page>
    )
  }
  if (!invoice) {
    return (
      <Page>
        <Loading />
      </Page>
    )
  }

  const inFlight = isInFlight(invoice.status)
  const issued = invoice.status === 'issued'
  const history = [...invoice.history].sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
  const cards = invoice.cards.map((c) => `${c.nickname || '武汉通'}（尾号 ${c.cardNo.slice(-4)}）`).join('、')

  return (
    <Page>
      {/* page-1 preview, drawn from the invoice's data */}
      <View className='fapiao' id='invoice-preview'>
        <View className='fapiao__title'>电子发票（普通发票）</View>
        <View className='fapiao__meta'>
          <View>
            发票号码：
            {invoice.invoiceNo ? (
              <Text id='invoice-number' className='fapiao__no'>
                {invoice.invoiceNo}
              </Text>
            ) : (
              <Text className='fapiao__pending'>开具后生成</Text>
            )}
          </View>
          <View>开票日期：{invoice.issuedAt ? cnDate(invoice.issuedAt) : '—'}</View>
        </View>
        <View className='fapiao__party'>
          <View className='fapiao__side'>购买方</View>
          <View className='fapiao__party-body'>
            <View>名称：{invoice.title.name}</View>
            <View>统一社会信用代码/纳税人识别号：{invoice.title.taxId ?? '—'}</View>
          </View>
        </View>
        <View className='fapiao__party'>
          <View className='fapiao__side'>销售方</View>
          <View className='fapiao__party-body'>
            <View>名称：{SELLER_NAME}</View>
          </View>
        </View>
        <View className='fapiao__table'>
          <View className='fapiao__row fapiao__row--head'>
            <View className='fapiao__c1'>项目名称</View>
            <View className='fapiao__c2'>金额</View>
            <View className='fapiao__c3'>税率</View>
            <View className='fapiao__c4'>税额</View>
          </View>
          <View className='fapiao__row'>
            <View className='fapiao__c1'>{ITEM_NAME}</View>
            <View className='fapiao__c2'>{formatFen(invoice.amountFen).slice(1)}</View>
            <View className='fapiao__c3'>{TAX_RATE_LABEL}</View>
            <View className='fapiao__c4'>0.00</View>
          </View>
        </View>
        <View className='fapiao__total'>
          <View>价税合计（大写）{amountInCapitals(invoice.amountFen)}</View>
          <View className='fapiao__total-fig'>（小写）{formatFen(invoice.amountFen)}</View>
        </View>
        {cards ? <View className='fapiao__remark'>备注：武汉通卡 {cards}</View> : null}
      </View>

      <View className='section-title'>开票状态</View>
      <View className='cells'>
        <View className='cell'>
          <View className='cell__label'>状态</View>
          <View className='cell__body'>
            <Text id='invoice-status' className={`tag tag--big ${INVOICE_STATUS_TAG[invoice.status]}`}>
              {INVOICE_STATUS_LABEL[invoice.status]}
            </Text>
          </View>
        </View>
        {inFlight ? (
          <View className='cell'>
            <View className='cell__body cell__desc' id='invoice-progress'>
              {slow ? '开具时间比平时长，请稍后下拉刷新查看；完成后会通知你。' : '正在开具，通常几秒钟内完成…'}
            </View>
          </View>
        ) : null}
        {invoice.status === 'failed' ? (
          <View className='cell'>
            <View className='cell__body warn-text' id='invoice-failure'>
              {failureText(invoice)}
            </View>
          </View>
        ) : null}
        <View className='cell'>
          <View className='cell__label'>金额</View>
          <View className='cell__body result-value'>
            {formatFen(invoice.amountFen)}
            {invoice.orderCount > 1 ? `（${invoice.orderCount} 笔充值）` : ''}
          </View>
        </View>
        <View className='cell'>
          <View className='cell__label'>申请时间</View>
          <View className='cell__body result-value'>{formatDateTime(invoice.requestedAt)}</View>
        </View>
        {invoice.issuedAt ? (
          <View className='cell'>
            <View className='cell__label'>开具时间</View>
            <View className='cell__body result-value'>{formatDateTime(invoice.issuedAt)}</View>
          </View>
        ) : null}
        <View className='cell'>
          <View className='cell__label'>接收邮箱</View>
          <View className='cell__body result-value' id='invoice-email'>
            {invoice.email ?? '未填写'}
          </View>
        </View>
      </View>

      {history.length > 0 ? (
        <View>
          <View className='section-title'>处理记录</View>
          <View className='timeline' id='invoice-history'>
            {history.map((ev, i) => (
              <View key={`${ev.type}-${ev.at}-${i}`} className={i === 0 ? 'timeline__item timeline__item--latest' : 'timeline__item'}>
                <View className='timeline__dot' />
                <View className='timeline__body'>
                  <View className='timeline__label'>{INVOICE_EVENT_LABEL[ev.type] ?? ev.type}</View>
                  <View className='timeline__time'>{formatDateTime(ev.at)}</View>
                </View>
              </View>
            ))}
          </View>
        </View>
      ) : null}

      {invoice.pdf || invoice.xml ? (
        <View>
          <View className='section-title'>文件指纹（SHA-256 前 16 位）</View>
          <View className='cells'>
            {invoice.pdf ? (
              <View className='cell'>
                <View className='cell__label'>PDF</View>
                <View className='cell__body mono' id='pdf-sha'>
                  {shortSha(invoice.pdf.sha256)}
                </View>
              </View>
            ) : null}
            {invoice.xml ? (
              <View className='cell'>
                <View className='cell__label'>XML</View>
                <View className='cell__body mono' id='xml-sha'>
                  {shortSha(invoice.xml.sha256)}
                </View>
              </View>
            ) : null}
          </View>
          <View className='hint'>可用此指纹核对下载的文件</View>
        </View>
      ) : null}

      <View className='btn-area'>
        {issued ? (
          <View>
            <Button
              className={busy === 'pdf' ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
              id='download-pdf'
              loading={busy === 'pdf'}
              onClick={() => void download('pdf')}
            >
              下载 PDF
            </Button>
            <Button className='btn btn--default' id='download-xml' loading={busy === 'xml'} onClick={() => void download('xml')}>
              下载 XML
            </Button>
            <Button className='btn btn--default' id='resend-email' onClick={openResend}>
              发送到邮箱
            </Button>
            <Button className='btn btn--default' id='copy-number' onClick={copyNumber}>
              复制号码
            </Button>
          </View>
        ) : (
          <View className='hint center'>开具完成后可下载 PDF、XML 或发送到邮箱</View>
        )}
      </View>
      <View className='hint center'>没收到邮件？请查看垃圾邮件箱</View>

      <BottomSheet
        open={sheet}
        title='发送到邮箱'
        onClose={() => {
          if (!sending) setSheet(false)
        }}
        footer={
          <View>
            {sendError ? (
              <View className='error-text sheet-error' id='resend-error'>
                {sendError}
              </View>
            ) : null}
            <Button
              className={sending ? 'btn btn--primary btn--busy' : 'btn btn--primary'}
              id='resend-send'
              loading={sending}
              disabled={sending || undefined}
              onClick={() => void onSend()}
            >
              发送
            </Button>
          </View>
        }
      >
        <View className='kv kv--input'>
          <View className='kv__key'>邮箱</View>
          <Input
            id='resend-email-input'
            className='kv__input'
            type='text'
            maxlength={254}
            placeholder='name@example.com'
            value={email}
            onInput={(e) => {
              setEmail(e.detail.value)
              setEmailError(null)
            }}
          />
        </View>
        {emailError ? (
          <View className='error-text sheet-error' id='resend-email-error'>
            {emailError}
          </View>
        ) : null}
        <View className='sheet-notes'>
          <View>同一张发票重新发送，不会重复开票。</View>
          <View>没收到邮件？请查看垃圾邮件箱。</View>
        </View>
      </BottomSheet>
    </Page>
  )
}
