/**
 * The local cloud's developer pages: sign-in (the stand-in for the WeChat identity), the
 * cloud-pay sandbox and the dev menu. They look plainly like tools, not like the citizen's app.
 */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/**
 * A value as a JavaScript literal inside a <script>: JSON with <, >, & and the line separators
 * escaped, so no echoed text (`</script>`, `<!--`) can end the script or open a new one.
 */
export const scriptJson = (v: unknown) => JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** The one look of every developer page; `wide` and `css` serve the table-heavy mail pages. */
export const layout = (title: string, body: string, opts: { wide?: boolean; css?: string } = {}) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · 本地云开发工具</title>
<style>
  body{font:16px/1.6 system-ui,-apple-system,"PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:0;background:#f4f4f5;color:#18181b}
  header{background:#27272a;color:#fafafa;padding:10px 16px;font-size:14px;display:flex;justify-content:space-between}
  header a{color:#a5f3fc}
  main{max-width:${opts.wide ? 960 : 560}px;margin:0 auto;padding:16px}
  .box{background:#fff;border:1px dashed #a1a1aa;border-radius:8px;padding:16px;margin:12px 0}
  button,input{font:inherit;min-height:48px;border-radius:6px}
  input{border:1px solid #a1a1aa;padding:0 12px;width:100%;box-sizing:border-box}
  button{border:0;padding:0 20px;cursor:pointer;background:#3f3f46;color:#fff}
  button.primary{background:#07c160}
  .amount{font-size:40px;font-weight:600;text-align:center;margin:8px 0}
  .muted{color:#52525b;font-size:14px}
  ul{padding-left:18px} li{margin:6px 0}
  table{border-collapse:collapse;width:100%;font-size:13px} td,th{border:1px solid #d4d4d8;padding:4px 6px;text-align:left;vertical-align:top}
  .err{color:#b91c1c} .ok{color:#15803d}
  ${opts.css ?? ''}
</style></head>
<body><header><span>🛠 本地云开发工具 · ${esc(title)}</span><span><a href="/dev/mail">邮件</a> · <a href="/dev/sms">短信</a> · <a href="/dev/messages">订阅消息</a> · <a href="/dev">开发菜单</a></span></header><main>${body}</main></body></html>`

export function loginPage(users: { name: string; openid: string }[], returnTo: string): string {
  const list = users
    .map((u) => `<li><button type="button" data-name="${esc(u.name)}">以「${esc(u.name)}」登录</button> <span class="muted">${esc(u.openid)}</span></li>`)
    .join('')
  return layout(
    '模拟微信登录',
    `<div class="box"><p>本地云没有微信。这里选择或新建一个测试用户，代替微信身份（openid）。</p>
      <form id="f"><label for="name">测试用户名</label>
      <input id="name" name="name" maxlength="20" placeholder="例如 张三" required>
      <p><button class="primary" id="login" type="submit">登录</button></p></form>
      ${users.length ? `<p>已有测试用户：</p><ul>${list}</ul>` : ''}
      <p id="msg" class="err"></p></div>
    <script>
      const back = ${scriptJson(returnTo)};
      async function login(name) {
        const r = await fetch('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
        const j = await r.json();
        if (!r.ok) { document.getElementById('msg').textContent = j.error && j.error.message || '登录失败'; return; }
        localStorage.setItem('wt.session', JSON.stringify(j));
        location.href = back;
      }
      document.getElementById('f').addEventListener('submit', (e) => { e.preventDefault(); login(document.getElementById('name').value.trim()); });
      document.querySelectorAll('button[data-name]').forEach((b) => b.addEventListener('click', () => login(b.dataset.name)));
    </script>`,
  )
}

export function payPage(p: { prepayId: string; outTradeNo: string; totalFee: number; body: string; state: string } | null, returnTo: string): string {
  if (!p) return layout('支付沙箱', `<div class="box err">找不到这笔预支付（prepay_id 无效或已过期）。</div>`)
  const yuan = (p.totalFee / 100).toFixed(2)
  return layout(
    '微信支付沙箱',
    `<div class="box"><p class="muted">这是微信支付的本地沙箱，不会产生真实扣款。</p>
      <p>${esc(p.body)}</p><div class="amount">¥${yuan}</div>
      <p class="muted">商户单号 ${esc(p.outTradeNo)} · 状态 ${esc(p.state)}</p>
      <p><button class="primary" id="pay" type="button">确认支付</button> <button id="cancel" type="button">取消</button></p>
      <p id="msg" class="err"></p></div>
    <script>
      const back = ${scriptJson(returnTo)};
      document.getElementById('pay').addEventListener('click', async () => {
        const r = await fetch('/sandbox/pay/confirm', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ prepayId: ${scriptJson(p.prepayId)} }) });
        const j = await r.json();
        if (!r.ok) { document.getElementById('msg').textContent = j.message || '支付失败'; return; }
        location.href = back || '/';
      });
      document.getElementById('cancel').addEventListener('click', () => { location.href = back || '/'; });
    </script>`,
  )
}

export function devMenu(info: { triggers: { fn: string; cron: string; next: string | null }[]; delivery: string; clockOffsetMs: number }): string {
  const rows = info.triggers
    .map(
      (t) =>
        `<tr><td>${esc(t.fn)}</td><td><code>${esc(t.cron)}</code></td><td>${esc(t.next ?? '—')}</td><td><button data-fn="${esc(t.fn)}">立即触发</button></td></tr>`,
    )
    .join('')
  return layout(
    '开发菜单',
    `<div class="box"><ul>
      <li><a href="/">打开小程序（H5）</a></li>
      <li><a href="/dev/login?return=/">切换测试用户</a></li>
      <li><a href="/dev/api/pay">支付沙箱记录（JSON）</a> · 回调方式：<b>${esc(info.delivery)}</b></li>
      <li><a href="/dev/mail">收到的邮件（SMTP 捕获）</a></li>
      <li><a href="/dev/sms">发出的短信（本地捕获）</a></li>
      <li><a href="/dev/messages">订阅消息记录</a></li>
      <li><a href="/dev/staff">工作人员台（代替云开发控制台调用 staff 云函数）</a></li>
      <li>本地时钟偏移：${info.clockOffsetMs / 1000} 秒</li></ul></div>
    <div class="box"><p>定时触发器（UTC+8）</p><table><tr><th>云函数</th><th>cron</th><th>下次触发</th><th></th></tr>${rows}</table>
    <p id="out" class="muted"></p></div>
    <script>
      document.querySelectorAll('button[data-fn]').forEach((b) => b.addEventListener('click', async () => {
        const r = await fetch('/dev/api/triggers/' + b.dataset.fn, { method: 'POST' });
        document.getElementById('out').textContent = JSON.stringify(await r.json());
      }));
    </script>`,
  )
}
