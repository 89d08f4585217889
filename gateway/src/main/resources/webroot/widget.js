/*
 * Nectar chat widget. On a shop's page, one line:
 *
 *   <script src="https://HOST/widget.js" data-merchant="demo" async></script>
 *
 * draws a launcher button that opens a chat panel (full screen on a phone). The gateway is found from
 * this script's own URL; the page may be on any origin. Options (data- attributes of the script tag):
 * data-merchant (the store), data-mode="page" (the chat fills the page: the gateway's own page at /),
 * data-debug (show what the bot understood under each reply; also ?debug=1 on the page),
 * data-shopper (a shopper token the shop's server signed: the chat knows its signed-in shopper, for
 * order reminders; docs/protocol.md, "Shopper tokens").
 *
 * Everything lives in a shadow root, so the shop's CSS and the widget's do not touch each other. Texts
 * from the network are only ever set with textContent. The conversation id is kept in localStorage for
 * the server's conversation time to live, so the chat goes on across pages and tabs of the shop. A lost
 * connection is retried with exponential backoff and jitter; messages typed meanwhile are sent once it
 * is back (the server answers each message id once).
 */
(function () {
  'use strict';

  const script = document.currentScript ||
    Array.from(document.querySelectorAll('script[src]')).reverse().find(s => /\/widget\.js([?#].*)?$/.test(s.src));
  if (!script) return;
  const GATEWAY = new URL(script.src, location.href);
  const HTTP_ORIGIN = GATEWAY.origin;
  const WS_ORIGIN = (GATEWAY.protocol === 'https:' ? 'wss://' : 'ws://') + GATEWAY.host;
  const pageParams = new URLSearchParams(location.search);
  const data = script.dataset;
  const MODE = data.mode === 'page' ? 'page' : 'launcher';
  const SHOPPER = data.shopper || null;
  const DEBUG = (data.debug !== undefined && data.debug !== 'false') || pageParams.get('debug') === '1';
  const PING_MS = 25000;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_MAX_MS = 8000;
  const FATAL = ['unknown_merchant', 'missing_merchant', 'origin_not_allowed'];
  /** Replies that end a conversation from the shopper's side: the rating is offered after them. */
  const ENDINGS = ['smalltalk-thanks', 'smalltalk-goodbye'];

  // ---- texts of the interface, per language (the shopper's: that of the latest reply) ----
  const STRINGS = {
    en: {
      open: 'Chat with {store}', close: 'Close chat', send: 'Send', placeholder: 'Type your message…',
      input: 'Message', log: 'Conversation with {store}', assistant: 'Assistant',
      status: { idle: '', connecting: 'Connecting…', online: 'Online', reconnecting: 'Reconnecting…', closed: 'Unavailable' },
      reconnecting: 'Connection lost. Reconnecting…',
      typing: '{store} is typing…',
      unread: n => n === 1 ? '1 unread message' : n + ' unread messages',
      newConversation: 'We were briefly away and could not pick up the earlier conversation, so this is a new one. Your earlier messages are still shown above.',
      tooLong: (n, max) => 'Your message has ' + n + ' characters; the limit is ' + max + '. Please shorten it, then send it again.',
      handedOff: 'A human agent will take over; they can see this conversation.',
      moved: 'This conversation continues in another window.', continueHere: 'Continue here',
      rate: 'How was this chat?', rateGood: 'Good', rateBad: 'Bad', rateGoodLabel: 'This chat was good',
      rateBadLabel: 'This chat was bad', rateComment: 'Anything we could do better? (optional)',
      rateSend: 'Send feedback', rated: 'Thank you for your feedback.',
      agent: 'Agent',
      viewProduct: 'View product', inStock: 'In stock', soldOut: 'Sold out', oneSize: 'One size',
      promotion: 'Offer', until: d => 'Until ' + d, from: d => 'From ' + d, ended: d => 'Ended on ' + d,
      notSent: 'Not sent: ',
      errors: {
        unknown_merchant: 'This chat is not available. Please contact the shop another way.',
        missing_merchant: 'This chat is not set up on this page.',
        origin_not_allowed: 'This chat is not available on this website.',
        text_too_long: 'That message is too long.',
        empty_text: 'That message was empty.',
        rate_limited: 'You are sending messages very quickly; please wait a moment.',
        too_many_pending: 'Please wait for the answers to your earlier messages.',
        overloaded: 'We are very busy right now. Please try again in a moment.',
        unavailable: 'We could not save that just now. Please try again in a moment.',
        internal: 'Something went wrong on our side. Please try again.',
        message_too_big: 'That message is too large to send.',
        other: 'Something went wrong sending that message. Please try again.'
      }
    },
    zh: {
      open: '与{store}聊天', close: '关闭聊天', send: '发送', placeholder: '输入您的问题…',
      input: '消息', log: '与{store}的对话', assistant: '智能客服',
      status: { idle: '', connecting: '正在连接…', online: '在线', reconnecting: '正在重新连接…', closed: '暂不可用' },
      reconnecting: '连接已断开，正在重新连接…',
      typing: '{store}正在输入…',
      unread: n => n + ' 条未读消息',
      newConversation: '刚才连接中断，之前的对话没能接上，现在是新的对话。您之前的消息仍显示在上方。',
      tooLong: (n, max) => '您的消息有 ' + n + ' 个字，最多 ' + max + ' 个字。请缩短后再发送。',
      handedOff: '人工客服会接手，并能看到这段对话。',
      moved: '这段对话已在另一个窗口继续。', continueHere: '在这里继续',
      rate: '这次对话您满意吗？', rateGood: '满意', rateBad: '不满意', rateGoodLabel: '这次对话令人满意',
      rateBadLabel: '这次对话不满意', rateComment: '有什么可以做得更好？（可选）',
      rateSend: '提交反馈', rated: '感谢您的反馈。',
      agent: '人工客服',
      viewProduct: '查看商品', inStock: '有货', soldOut: '售罄', oneSize: '均码',
      promotion: '优惠', until: d => '截至 ' + d, from: d => d + ' 开始', ended: d => '已于 ' + d + ' 结束',
      notSent: '未发送：',
      errors: {
        unknown_merchant: '这个聊天窗口暂不可用，请通过其他方式联系店铺。',
        missing_merchant: '这个页面没有设置聊天。',
        origin_not_allowed: '这个网站上不能使用本店的聊天。',
        text_too_long: '这条消息太长了。',
        empty_text: '这条消息是空的。',
        rate_limited: '您发送得太快了，请稍等一下。',
        too_many_pending: '请等前面的消息回复后再发送。',
        overloaded: '现在咨询的人很多，请稍后再试。',
        unavailable: '刚才没能保存这条消息，请稍后再试。',
        internal: '我们这边出了点问题，请再试一次。',
        message_too_big: '这条消息太大，无法发送。',
        other: '消息发送出了点问题，请再试一次。'
      }
    }
  };

  const CSS = `
:host { all: initial !important; }
:host([data-mode=page]) { display: block !important; height: 100% !important; }
.root { --accent: #e8590c; --on-accent: #fff; --bg: #fafafa; --bot: #fff; --me: #ffe8d6; --muted: #6b6b75; --line: #e4e4e7;
  font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Segoe UI", sans-serif; color: #18181b;
  -webkit-font-smoothing: antialiased; text-align: left; direction: ltr; }
.root * { box-sizing: border-box; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; white-space: nowrap; }
[hidden] { display: none !important; }
button { font: inherit; }
:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 60px; height: 60px; border-radius: 50%;
  border: 0; background: var(--accent); color: var(--on-accent); cursor: pointer; box-shadow: 0 4px 16px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center; padding: 0; }
.launcher svg { width: 28px; height: 28px; fill: currentColor; }
.badge { position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  background: #dc2626; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center; border: 2px solid #fff; }
.panel { display: flex; flex-direction: column; background: var(--bg); overflow: hidden; }
.mode-launcher .panel { position: fixed; right: 20px; bottom: 92px; z-index: 2147483000; width: 380px; height: min(640px, calc(100vh - 112px));
  border-radius: 16px; box-shadow: 0 12px 40px rgba(0,0,0,.25); }
.root.mode-page { height: 100%; }
.mode-page .panel { height: 100%; max-width: 720px; margin: 0 auto; }
header { display: flex; align-items: center; gap: 10px; padding: 12px 14px; background: var(--accent); color: var(--on-accent); }
.logo { width: 36px; height: 36px; border-radius: 8px; object-fit: contain; flex: none; }
.titles { flex: 1; min-width: 0; }
h2 { margin: 0; font-size: 16px; font-weight: 600; line-height: 1.3; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { display: block; font-size: 12px; opacity: .9; min-height: 1em; }
.close { border: 0; background: transparent; color: inherit; width: 36px; height: 36px; border-radius: 8px; font-size: 24px; line-height: 1; cursor: pointer; }
.close:hover { background: rgba(255,255,255,.15); }
.mode-page .close { display: none; }
.banner { padding: 6px 14px; background: #fef3c7; color: #713f12; font-size: 13px; text-align: center; }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 10px; }
.msg { max-width: 85%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0,0,0,.06); }
.msg.me { align-self: flex-end; background: var(--me); border-bottom-right-radius: 4px; }
.msg.bot { align-self: flex-start; background: var(--bot); border-bottom-left-radius: 4px; }
.msg.agent { border-left: 3px solid var(--accent); }
.notice .continue { margin-left: 8px; border: 1px solid currentColor; background: transparent; color: inherit; border-radius: 12px; padding: 2px 10px; font: inherit; cursor: pointer; }
.msg.sys { align-self: center; max-width: 95%; background: transparent; box-shadow: none; color: var(--muted); font-size: 12px; text-align: center; }
.msg.err { align-self: flex-start; background: #fee2e2; color: #991b1b; font-size: 13px; box-shadow: none; }
.pending { opacity: .6; }
.failed { border: 1px solid #fca5a5; }
time { display: block; margin-top: 2px; font-size: 11px; color: var(--muted); }
.me time { text-align: right; }
.meta { display: block; margin-top: 2px; font-size: 11px; color: var(--muted); font-family: ui-monospace, monospace; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; white-space: normal; }
.chip { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 14px; padding: 3px 12px; font-size: 13px; cursor: pointer; }
.chip:hover:not(:disabled) { background: var(--accent); color: var(--on-accent); }
.chip:disabled { border-color: var(--line); color: #a1a1aa; cursor: default; }
.rating { align-self: center; text-align: center; font-size: 13px; color: var(--muted); white-space: normal; }
.rate-row { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 6px; justify-content: center; }
.rate-btn { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 14px; padding: 3px 12px; font-size: 13px; cursor: pointer; }
.rate-btn[aria-pressed="true"], .rate-btn:hover:not(:disabled) { background: var(--accent); color: var(--on-accent); }
.rate-btn:disabled { border-color: var(--line); color: #a1a1aa; cursor: default; }
.rating textarea { display: block; width: 100%; box-sizing: border-box; margin-top: 8px; font: inherit; border: 1px solid var(--line); border-radius: 8px; padding: 6px; resize: vertical; }
.rating .rate-send { margin-top: 6px; }
.card { display: flex; gap: 10px; margin-top: 8px; padding: 8px; border: 1px solid var(--line); border-radius: 10px; background: #fff; white-space: normal; }
.offer { margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--line); cursor: pointer; white-space: normal; }
.offer-text { margin: 0; }
.card img { width: 72px; height: 72px; border-radius: 8px; object-fit: cover; flex: none; background: #f4f4f5; }
.card .body { min-width: 0; flex: 1; }
.card h3 { margin: 0; font-size: 14px; font-weight: 600; }
.card .price { color: var(--accent); font-weight: 700; }
.card ul { list-style: none; margin: 4px 0; padding: 0; font-size: 12px; }
.card li { margin: 2px 0; }
.card .color { font-weight: 600; margin-right: 4px; }
.card .size { display: inline-block; margin: 0 3px 2px 0; padding: 0 5px; border: 1px solid var(--line); border-radius: 4px; }
.card .size.out { color: #a1a1aa; text-decoration: line-through; }
.card a { color: var(--accent); font-size: 13px; font-weight: 600; }
.card.promotion { flex-direction: column; gap: 2px; border-left: 4px solid var(--accent); }
.card .tag { font-size: 11px; font-weight: 700; color: var(--accent); text-transform: uppercase; }
.card p { margin: 0; font-size: 13px; }
.card .validity { color: var(--muted); font-size: 12px; }
.typing { padding: 0 14px 6px; }
.dots { display: inline-flex; gap: 4px; padding: 10px 12px; border-radius: 14px; background: var(--bot); box-shadow: 0 1px 1px rgba(0,0,0,.06); }
.dots i { width: 7px; height: 7px; border-radius: 50%; background: #a1a1aa; animation: blink 1.2s infinite ease-in-out; }
.dots i:nth-child(2) { animation-delay: .2s; } .dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } }
.notice { margin: 0 12px 8px; padding: 8px 10px; border-radius: 8px; background: #fee2e2; color: #991b1b; font-size: 13px; }
.notice.fatal { background: #f4f4f5; color: #3f3f46; }
form { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px; border-top: 1px solid var(--line); background: #fff; margin: 0; }
textarea { flex: 1; resize: none; max-height: 120px; padding: 9px 12px; border: 1px solid #d4d4d8; border-radius: 18px; font: inherit; color: inherit; background: #fff; }
textarea:disabled { background: #f4f4f5; }
.send { padding: 9px 16px; border: 0; border-radius: 18px; background: var(--accent); color: var(--on-accent); cursor: pointer; }
.send:disabled { opacity: .5; cursor: default; }
.counter { padding: 0 14px 6px; font-size: 12px; color: var(--muted); text-align: right; }
.counter.over { color: #b91c1c; font-weight: 600; }
@media (max-width: 520px) {
  .mode-launcher .panel { inset: 0; right: 0; bottom: 0; width: 100%; height: 100%; border-radius: 0; }
  .mode-launcher.open .launcher { display: none; }
}`;

  const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';

  // ---- state ----
  const st = {
    merchant: data.merchant || (MODE === 'page' ? pageParams.get('merchant') : null) || null,
    cfg: null,
    ws: null,
    conn: 'idle',
    attempt: 0,
    reconnectTimer: null,
    pingTimer: null,
    closeReason: null,
    fatal: null,
    welcomed: false,
    hadConversation: false,
    lang: null,
    open: MODE === 'page',
    unread: 0,
    limits: { maxTextChars: 2000 },
    unanswered: new Map(), // client message id -> {text, el, tries}
    sentIds: new Set(), // ids this page sent: their echoes in a resume are not shown again
    lastSeq: 0, // the highest seq this page has seen of its conversation (for a resume with lastSeq)
    seen: new Set() // seqs shown, so a frame seen again after a resume is shown once
  };

  // ---- storage: the conversation id and its last activity, per merchant, for the conversation's time to live ----
  function storageKey() { return 'nectar.conversation.' + st.merchant; }
  function loadConversation() {
    try {
      const c = JSON.parse(localStorage.getItem(storageKey()) || 'null');
      if (!c || typeof c.id !== 'string') return null;
      if (typeof c.at !== 'number' || typeof c.ttl !== 'number' || Date.now() - c.at > c.ttl * 1000) {
        localStorage.removeItem(storageKey()); // expired: the server has forgotten it too
        return null;
      }
      return c;
    } catch (e) { return null; }
  }
  function saveConversation(changes) {
    const c = Object.assign(loadConversation() || {}, changes, { at: Date.now() });
    try { localStorage.setItem(storageKey(), JSON.stringify(c)); } catch (e) { /* storage off: this page only */ }
    return c;
  }
  function openFlagKey() { return 'nectar.open.' + st.merchant; }

  // ---- interface ----
  const host = document.createElement('nectar-chat');
  host.setAttribute('data-mode', MODE);
  const shadow = host.attachShadow({ mode: 'open' });
  const ui = {};

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function build() {
    const style = el('style');
    style.textContent = CSS;
    const root = el('div', 'root mode-' + MODE);
    ui.root = root;

    const launcher = el('button', 'launcher');
    launcher.type = 'button';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-controls', 'nectar-panel');
    const svgNs = 'http://www.w3.org/2000/svg';
    const icon = document.createElementNS(svgNs, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(svgNs, 'path');
    path.setAttribute('d', CHAT_ICON);
    icon.appendChild(path);
    const badge = el('span', 'badge');
    badge.hidden = true;
    badge.setAttribute('aria-hidden', 'true');
    launcher.append(icon, badge);
    launcher.addEventListener('click', () => (st.open ? close(true) : open(true)));
    ui.launcher = launcher;
    ui.badge = badge;
    if (MODE === 'page') launcher.hidden = true;

    const panel = el('section', 'panel');
    panel.id = 'nectar-panel';
    panel.setAttribute('role', MODE === 'page' ? 'main' : 'dialog');
    panel.setAttribute('aria-labelledby', 'nectar-title');
    panel.hidden = MODE !== 'page';
    panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && MODE === 'launcher') { e.preventDefault(); close(true); }
    });
    ui.panel = panel;

    const header = el('header');
    const logo = el('img', 'logo');
    logo.alt = '';
    logo.hidden = true;
    const titles = el('div', 'titles');
    const title = el('h2', null, '');
    title.id = 'nectar-title';
    const status = el('span', 'status');
    status.id = 'status';
    status.setAttribute('data-state', 'idle');
    titles.append(title, status);
    const closeBtn = el('button', 'close', '×');
    closeBtn.type = 'button';
    closeBtn.addEventListener('click', () => close(true));
    header.append(logo, titles, closeBtn);
    Object.assign(ui, { logo: logo, title: title, status: status, closeBtn: closeBtn });

    const banner = el('div', 'banner');
    banner.setAttribute('role', 'status');
    banner.hidden = true;
    ui.banner = banner;

    const log = el('div', 'log');
    log.id = 'log';
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.tabIndex = 0;
    ui.log = log;

    const typing = el('div', 'typing');
    typing.hidden = true;
    const dots = el('span', 'dots');
    dots.setAttribute('aria-hidden', 'true');
    dots.append(el('i'), el('i'), el('i'));
    const typingText = el('span', 'sr-only');
    typing.append(dots, typingText);
    ui.typing = typing;
    ui.typingText = typingText;

    const notice = el('div', 'notice');
    notice.setAttribute('role', 'alert');
    notice.hidden = true;
    ui.notice = notice;
    const counter = el('div', 'counter');
    counter.hidden = true;
    counter.setAttribute('aria-live', 'polite');
    ui.counter = counter;

    const form = el('form');
    form.setAttribute('autocomplete', 'off');
    const input = el('textarea');
    input.id = 'text';
    input.rows = 1;
    const send = el('button', 'send');
    send.type = 'submit';
    send.id = 'send';
    form.append(input, send);
    form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
    });
    input.addEventListener('input', () => { autoGrow(); updateCounter(); });
    Object.assign(ui, { form: form, input: input, send: send });

    panel.append(header, banner, log, typing, notice, counter, form);
    root.append(launcher, panel);
    shadow.append(style, root);
    relabel();
  }

  function strings() { return STRINGS[st.lang] || STRINGS.en; }
  function fill(s) { return s.replace('{store}', storeName()); }
  function storeName() {
    const c = st.cfg;
    if (!c) return '';
    return (c.storeNames && (c.storeNames[st.lang] || c.storeNames[c.defaultLanguage])) || c.storeName || c.merchant || '';
  }

  /** Sets every interface text in the current language. */
  function relabel() {
    const t = strings();
    const name = storeName();
    ui.root.lang = st.lang || 'en';
    if (MODE === 'page') document.documentElement.lang = st.lang || 'en';
    ui.title.textContent = name || t.assistant;
    ui.launcher.setAttribute('aria-label', fill(t.open) + (st.unread ? ', ' + t.unread(st.unread) : ''));
    ui.closeBtn.setAttribute('aria-label', t.close);
    ui.closeBtn.title = t.close;
    ui.log.setAttribute('aria-label', fill(t.log));
    ui.input.placeholder = t.placeholder;
    ui.input.setAttribute('aria-label', t.input);
    ui.send.textContent = t.send;
    ui.typingText.textContent = fill(t.typing);
    ui.status.textContent = t.status[st.conn] || '';
    ui.banner.textContent = t.reconnecting;
    if (st.fatal) showNotice(errorText(st.fatal), true);
    updateCounter();
  }

  function setConn(state) {
    st.conn = state;
    ui.status.setAttribute('data-state', state);
    ui.status.textContent = strings().status[state] || '';
    ui.banner.hidden = state !== 'reconnecting';
    updateTyping();
  }

  function showNotice(text, fatal) {
    ui.notice.textContent = text;
    ui.notice.classList.toggle('fatal', !!fatal);
    ui.notice.hidden = !text;
  }

  function updateTyping() {
    ui.typing.hidden = !(st.conn === 'online' && st.unanswered.size > 0);
  }

  function updateBadge() {
    ui.badge.textContent = st.unread > 99 ? '99+' : String(st.unread);
    ui.badge.hidden = st.unread === 0 || st.open;
    relabel();
  }

  function autoGrow() {
    ui.input.style.height = 'auto';
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + 'px';
  }

  function chars(text) { return Array.from(text).length; }

  function updateCounter() {
    const n = chars(ui.input.value || '');
    const max = st.limits.maxTextChars;
    ui.counter.hidden = n < max * 0.9;
    ui.counter.classList.toggle('over', n > max);
    ui.counter.textContent = n.toLocaleString(st.lang || 'en') + ' / ' + max.toLocaleString(st.lang || 'en');
    if (n <= max && ui.notice.dataset.kind === 'too-long') { showNotice(''); delete ui.notice.dataset.kind; }
  }

  function fmtTime(at) {
    const d = new Date(typeof at === 'number' ? at : Date.now());
    const now = new Date();
    const opts = { hour: '2-digit', minute: '2-digit' };
    if (d.toDateString() !== now.toDateString()) { opts.month = 'short'; opts.day = 'numeric'; }
    try { return new Intl.DateTimeFormat(st.lang || 'en', opts).format(d); } catch (e) { return d.toLocaleTimeString(); }
  }

  function stamp(parent, at) {
    const t = el('time', null, fmtTime(at));
    t.dateTime = new Date(typeof at === 'number' ? at : Date.now()).toISOString();
    parent.appendChild(t);
  }

  function scrollDown() { ui.log.scrollTop = ui.log.scrollHeight; }

  /** Earlier quick replies stop being clickable as soon as the conversation moves on. */
  function retireChips() {
    ui.log.querySelectorAll('.chip:not([disabled])').forEach(b => { b.disabled = true; });
  }

  function addMessage(cls, text, at) {
    retireChips();
    const div = el('div', 'msg ' + cls);
    div.appendChild(el('div', 'text', text));
    ui.log.appendChild(div);
    if (at !== false) stamp(div, at);
    scrollDown();
    return div;
  }

  function addSys(text) {
    const div = el('div', 'msg sys', text);
    ui.log.appendChild(div);
    scrollDown();
    return div;
  }

  function chips(parent, items) {
    if (!items.length) return;
    const box = el('div', 'chips');
    for (const item of items) {
      if (!item || typeof item.label !== 'string' || typeof item.text !== 'string') continue;
      const b = el('button', 'chip', item.label);
      b.type = 'button';
      b.addEventListener('click', () => {
        if (b.disabled) return;
        box.querySelectorAll('.chip').forEach(x => { x.disabled = true; });
        send(item.text);
      });
      box.appendChild(b);
    }
    const time = parent.querySelector('time');
    parent.insertBefore(box, time);
  }

  /** An http(s) URL, resolved against the gateway; anything else (javascript:, data:) is dropped. */
  function safeUrl(u) {
    if (typeof u !== 'string' || !u) return null;
    try {
      const x = new URL(u, HTTP_ORIGIN);
      return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
    } catch (e) { return null; }
  }

  function productCard(c) {
    const t = strings();
    const card = el('article', 'card product');
    card.setAttribute('aria-label', String(c.title || ''));
    const img = safeUrl(c.image);
    if (img) {
      const i = el('img');
      i.src = img;
      i.alt = String(c.title || '');
      i.loading = 'lazy';
      card.appendChild(i);
    }
    const body = el('div', 'body');
    body.appendChild(el('h3', 'title', c.title || c.sku || ''));
    if (c.price) body.appendChild(el('div', 'price', c.price));
    const list = el('ul', 'stock');
    for (const s of Array.isArray(c.stock) ? c.stock : []) {
      const li = el('li');
      li.appendChild(el('span', 'color', s.name || s.color || t.oneSize));
      const sizes = Array.isArray(s.sizes) ? s.sizes : [];
      const out = Array.isArray(s.soldOut) ? s.soldOut : [];
      if (!sizes.length && !out.length) li.appendChild(el('span', 'avail', s.inStock ? t.inStock : t.soldOut));
      for (const z of sizes) li.appendChild(el('span', 'size', z));
      for (const z of out) {
        const x = el('span', 'size out', z);
        x.title = t.soldOut;
        x.setAttribute('aria-label', z + ' ' + t.soldOut);
        li.appendChild(x);
      }
      if (!sizes.length && out.length) li.appendChild(el('span', 'avail', ' ' + t.soldOut));
      list.appendChild(li);
    }
    if (list.children.length) body.appendChild(list);
    const href = safeUrl(c.url);
    if (href) {
      const a = el('a', 'link', t.viewProduct);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      body.appendChild(a);
    }
    card.appendChild(body);
    return card;
  }

  function promotionCard(c) {
    const t = strings();
    const card = el('article', 'card promotion');
    card.setAttribute('aria-label', String(c.name || ''));
    card.appendChild(el('span', 'tag', t.promotion));
    if (c.name) card.appendChild(el('h3', 'title', c.name));
    if (c.description) card.appendChild(el('p', 'description', c.description));
    const today = new Date().toISOString().slice(0, 10);
    let validity = null;
    if (c.validTo && c.validTo < today) validity = t.ended(c.validTo);
    else if (c.validFrom && c.validFrom > today) validity = t.from(c.validFrom);
    else if (c.validTo) validity = t.until(c.validTo);
    if (validity) card.appendChild(el('p', 'validity', validity));
    return card;
  }

  function cards(parent, list) {
    const time = parent.querySelector('time');
    for (const c of Array.isArray(list) ? list : []) {
      if (!c || typeof c !== 'object') continue;
      if (c.type === 'product') parent.insertBefore(productCard(c), time);
      else if (c.type === 'promotion') parent.insertBefore(promotionCard(c), time);
    }
  }

  /** Quick replies of a reply: the server's, or, from an older server, built from suggestions. */
  function quickReplies(f) {
    if (Array.isArray(f.quickReplies)) return f.quickReplies;
    const zh = f.language === 'zh';
    const items = (f.suggestions || []).map(s => ({ label: s, text: s }));
    if (f.handoffOffered) items.push({ label: zh ? '转人工客服' : 'Talk to a person', text: zh ? '转人工' : 'I want to talk to a human agent' });
    return items;
  }

  function errorText(code) {
    const e = strings().errors;
    return (e[code] || e.other) + (DEBUG ? ' [' + code + ']' : '');
  }

  // ---- opening and closing (launcher mode) ----
  function open(byUser) {
    if (MODE === 'page') return;
    st.open = true;
    ui.panel.hidden = false;
    ui.root.classList.add('open');
    ui.launcher.setAttribute('aria-expanded', 'true');
    st.unread = 0;
    updateBadge();
    markSeen();
    try { sessionStorage.setItem(openFlagKey(), '1'); } catch (e) { /* ignore */ }
    if (byUser) (ui.input.disabled ? ui.closeBtn : ui.input).focus();
    scrollDown();
    ensureConnected();
  }

  function close(byUser) {
    if (MODE === 'page') return;
    st.open = false;
    ui.panel.hidden = true;
    ui.root.classList.remove('open');
    ui.launcher.setAttribute('aria-expanded', 'false');
    updateBadge();
    try { sessionStorage.removeItem(openFlagKey()); } catch (e) { /* ignore */ }
    if (byUser) ui.launcher.focus();
  }

  function markSeen() {
    if (st.welcomed && st.open) saveConversation({ seen: Date.now() });
  }

  function botArrived(at) {
    if (st.open) markSeen();
    else { st.unread++; updateBadge(); }
  }

  // ---- language ----
  function pickLanguage() {
    const c = st.cfg;
    const served = (c && c.languages) || [];
    const stored = loadConversation();
    if (stored && stored.lang) return stored.lang;
    for (const l of navigator.languages || [navigator.language || '']) {
      const primary = String(l).toLowerCase().split('-')[0];
      if (served.indexOf(primary) >= 0) return primary;
    }
    return (c && c.defaultLanguage) || served[0] || 'en';
  }

  function setLanguage(lang) {
    if (!lang || lang === st.lang) return;
    st.lang = lang;
    relabel();
  }

  // ---- connection ----
  function ensureConnected() {
    if (st.fatal || !st.cfg) return;
    if (st.ws || st.reconnectTimer) return;
    connect();
  }

  function connect() {
    clearTimeout(st.reconnectTimer);
    st.reconnectTimer = null;
    if (st.fatal || st.ws) return;
    if (st.conn !== 'reconnecting') setConn('connecting');
    const stored = loadConversation();
    let url = WS_ORIGIN + '/ws/chat?merchant=' + encodeURIComponent(st.merchant) + '&lang=' + encodeURIComponent(st.lang || '');
    if (SHOPPER) url += '&shopper=' + encodeURIComponent(SHOPPER);
    if (stored) {
      url += '&conversation=' + encodeURIComponent(stored.id);
      // after a drop within this page: what was missed comes in the welcome frame
      if (st.welcomed && st.conversationId === stored.id) url += '&lastSeq=' + st.lastSeq;
    }
    st.closeReason = null;
    let ws;
    try { ws = new WebSocket(url); } catch (e) { scheduleReconnect(); return; }
    st.ws = ws;
    ws.onmessage = (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f === 'object') handle(f);
    };
    ws.onclose = (ev) => {
      if (st.ws !== ws) return;
      st.ws = null;
      clearInterval(st.pingTimer);
      if (ev.code === 4001) { moved(); return; } // opened in another window: do not take it back by ourselves
      const reason = st.closeReason || (ev.code === 1008 ? ev.reason : null);
      if (FATAL.indexOf(reason) >= 0 || ev.code === 1008) { fatal(FATAL.indexOf(reason) >= 0 ? reason : 'unknown_merchant'); return; }
      scheduleReconnect();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  /** Exponential backoff with jitter: one calm "reconnecting" state however long it takes. */
  function scheduleReconnect() {
    setConn('reconnecting');
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, st.attempt));
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    st.attempt++;
    clearTimeout(st.reconnectTimer);
    st.reconnectTimer = setTimeout(connect, delay);
  }

  function fatal(code) {
    st.fatal = code;
    clearTimeout(st.reconnectTimer);
    st.reconnectTimer = null;
    if (st.ws) { try { st.ws.close(); } catch (e) { /* ignore */ } st.ws = null; }
    setConn('closed');
    showNotice(errorText(code), true);
    ui.input.disabled = true;
    ui.send.disabled = true;
    for (const m of st.unanswered.values()) m.el.classList.remove('pending');
    st.unanswered.clear();
    updateTyping();
  }

  function transmit(id, m) {
    if (st.ws && st.ws.readyState === 1 && st.welcomed && st.conn === 'online') {
      st.ws.send(JSON.stringify({ type: 'message', id: id, text: m.text }));
    }
  }

  function handle(f) {
    switch (f.type) {
      case 'welcome': return welcome(f);
      case 'reply': return reply(f);
      case 'error': return error(f);
      case 'agent': return agentMessage(f);
      case 'reminder': return reminderMessage(f);
      case 'message': return shopperMessage(f);
      case 'system': return systemLine(f);
      case 'received': return received(f);
      case 'rated': return rated(f);
      case 'moved': st.closeReason = 'moved'; return undefined; // the close (4001) follows
      case 'reconnect': st.attempt = 0; return undefined; // the node is going away: the close (1012) follows, then a resume
      default: return undefined;
    }
  }

  /** True the first time a frame with this seq is seen (frames without a seq always count). */
  function fresh(f) {
    if (typeof f.seq !== 'number') return true;
    st.lastSeq = Math.max(st.lastSeq, f.seq);
    if (st.seen.has(f.seq)) return false;
    st.seen.add(f.seq);
    return true;
  }

  /** A human agent's message, from whichever node the agent is on. */
  function agentMessage(f) {
    if (!fresh(f)) return;
    const div = addMessage('bot agent', f.text, f.at);
    div.setAttribute('aria-label', strings().agent);
    botArrived(f.at);
    scrollDown();
  }

  /** A reminder of an unpaid order, sent by the shop. */
  function reminderMessage(f) {
    if (!fresh(f)) return;
    addMessage('bot reminder', f.text, f.at);
    botArrived(f.at);
    scrollDown();
  }

  /** An offer under a reply: its text and card; a click on it is reported once. */
  function offer(parent, o) {
    if (!o || typeof o !== 'object' || typeof o.id !== 'string') return;
    const box = el('div', 'offer');
    if (o.text) box.appendChild(el('p', 'offer-text', o.text));
    if (o.card && typeof o.card === 'object') cards(box, [o.card]);
    let clicked = false;
    box.addEventListener('click', () => {
      if (clicked || !st.ws || st.ws.readyState !== 1) return;
      clicked = true;
      st.ws.send(JSON.stringify({ type: 'offer', offer: o.id, action: 'click' }));
    });
    parent.insertBefore(box, parent.querySelector('time'));
  }

  /** An agent joined, handed the conversation back to the assistant or closed it: one line, as text. */
  function systemLine(f) {
    if (!fresh(f)) return;
    st.owner = f.owner || st.owner;
    addSys(String(f.text || ''));
    if (f.owner === 'closed') askRating();
  }

  /**
   * At an end of the conversation (a finished task, the shopper's thanks or goodbye, an agent closing
   * it), once per conversation: good or bad, then an optional comment. Each choice is sent as a rate
   * frame at once (the latest counts), so a shopper who never writes a comment has still rated.
   */
  function askRating() {
    if (!st.conversationId || st.ratingFor === st.conversationId) return;
    st.ratingFor = st.conversationId;
    const t = strings();
    const box = el('div', 'msg rating');
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', t.rate);
    box.appendChild(el('p', 'rate-q', t.rate));
    const row = el('div', 'rate-row');
    const comment = el('textarea');
    comment.rows = 2;
    comment.maxLength = 1000;
    comment.placeholder = t.rateComment;
    comment.setAttribute('aria-label', t.rateComment);
    comment.hidden = true;
    const sendComment = el('button', 'rate-btn rate-send', t.rateSend);
    sendComment.type = 'button';
    sendComment.hidden = true;
    let chosen = null;
    for (const [value, label, aria] of [['good', '👍 ' + t.rateGood, t.rateGoodLabel], ['bad', '👎 ' + t.rateBad, t.rateBadLabel]]) {
      const b = el('button', 'rate-btn rate-' + value, label);
      b.type = 'button';
      b.setAttribute('aria-label', aria);
      b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', () => {
        chosen = value;
        row.querySelectorAll('button').forEach(o => o.setAttribute('aria-pressed', String(o === b)));
        sendRating(value, null);
        comment.hidden = false;
        sendComment.hidden = false;
        comment.focus();
      });
      row.appendChild(b);
    }
    sendComment.addEventListener('click', () => {
      const text = comment.value.trim();
      if (!chosen) return;
      if (text) { st.lastRated = null; sendRating(chosen, text); } // thanks once this one is recorded
      comment.disabled = true;
      sendComment.disabled = true;
      st.ratingDone = true;
      showRated();
    });
    box.append(row, comment, sendComment);
    ui.log.appendChild(box);
    st.ratingEl = box;
    st.ratingDone = false;
    scrollDown();
  }

  function sendRating(rating, comment) {
    if (!st.ws || st.ws.readyState !== 1) return;
    const f = { type: 'rate', rating: rating };
    if (comment) f.comment = comment;
    st.ws.send(JSON.stringify(f));
  }

  /** The gateway recorded a rating: once the shopper is done with it, say thank you. */
  function rated(f) {
    st.lastRated = f.rating;
    if (st.ratingDone) showRated();
  }

  function showRated() {
    if (!st.ratingEl || !st.lastRated || st.ratingEl.querySelector('.rate-thanks')) return;
    const p = el('p', 'rate-thanks', strings().rated);
    p.setAttribute('role', 'status');
    st.ratingEl.appendChild(p);
    scrollDown();
  }

  /** A message kept for the agent who holds the conversation: no bot reply will come; the agent answers. */
  function received(f) {
    fresh(f);
    const pending = st.unanswered.get(f.replyTo);
    if (pending) { pending.el.classList.remove('pending'); st.unanswered.delete(f.replyTo); }
    updateTyping();
  }

  /** This conversation's own shopper message, seen again after a resume or written in another tab. */
  function shopperMessage(f) {
    if (!fresh(f)) return;
    if (f.id && (st.unanswered.has(f.id) || st.sentIds.has(f.id))) return; // ours, already on screen
    addMessage('me', f.text, f.at);
  }

  function moved() {
    st.ws = null;
    clearInterval(st.pingTimer);
    setConn('closed');
    showNotice(strings().moved, false);
    const b = el('button', 'continue', strings().continueHere);
    b.type = 'button';
    b.onclick = () => { showNotice(''); st.attempt = 0; connect(); };
    ui.notice.appendChild(b);
  }

  function welcome(f) {
    const first = !st.welcomed;
    const previous = loadConversation();
    const continued = previous && previous.id === f.conversationId;
    if (st.conversationId !== f.conversationId) { st.seen.clear(); st.lastSeq = 0; }
    st.conversationId = f.conversationId;
    if (typeof f.seq === 'number') st.lastSeq = Math.max(st.lastSeq, f.seq);
    saveConversation({ id: f.conversationId, ttl: f.conversationTtlSeconds || 1800, lang: previous && continued ? previous.lang : null,
      seen: continued ? previous.seen : 0 });
    if (f.limits && f.limits.maxTextChars) st.limits.maxTextChars = f.limits.maxTextChars;
    if (f.storeNames) st.cfg.storeNames = f.storeNames;
    if (f.storeName) st.cfg.storeName = f.storeName;
    if (first) {
      setLanguage(f.language || st.lang);
      const history = Array.isArray(f.history) ? f.history : [];
      const seen = continued && previous.seen ? previous.seen : 0;
      let unread = 0;
      for (const t of history) {
        if (typeof t.seq === 'number') { st.seen.add(t.seq); st.lastSeq = Math.max(st.lastSeq, t.seq); }
        if (t.role === 'system') addSys(String(t.text || ''));
        else addMessage(t.role === 'shopper' ? 'me' : t.role === 'agent' ? 'bot agent' : 'bot', t.text, t.at);
        if (t.role !== 'shopper' && typeof t.at === 'number' && t.at > seen) unread++;
      }
      if (f.greeting && !history.length) addMessage('bot', f.greeting, Date.now());
      if (!st.open && unread) { st.unread = unread; updateBadge(); }
    } else if (!f.resumed && st.hadConversation) {
      addSys(strings().newConversation);
    }
    if (Array.isArray(f.missed)) {
      for (const m of f.missed) {
        if (m && typeof m === 'object') handle(m);
      }
    }
    st.welcomed = true;
    st.hadConversation = true;
    st.attempt = 0;
    setConn('online');
    markSeen();
    relabel();
    clearInterval(st.pingTimer);
    st.pingTimer = setInterval(() => { if (st.ws && st.ws.readyState === 1) st.ws.send('{"type":"ping"}'); }, PING_MS);
    for (const [id, m] of st.unanswered) transmit(id, m);
    updateTyping();
  }

  function reply(f) {
    if (!fresh(f) && !st.unanswered.has(f.replyTo)) return;
    const pending = st.unanswered.get(f.replyTo);
    if (pending) { pending.el.classList.remove('pending'); st.unanswered.delete(f.replyTo); }
    else if (f.duplicate) return; // already shown
    setLanguage(f.language);
    saveConversation({ lang: f.language || null });
    const div = addMessage('bot', f.text, f.at);
    cards(div, f.cards);
    offer(div, f.offer);
    chips(div, quickReplies(f));
    if (DEBUG) {
      let meta = f.source + (f.intent ? ' · ' + f.intent : '') +
        (typeof f.confidence === 'number' ? ' · ' + Math.round(f.confidence * 100) + '%' : '');
      if (f.flow) meta += ' · ' + f.flow.id + ' → ' + (f.flow.status === 'active' ? f.flow.step : f.flow.status);
      div.appendChild(el('span', 'meta', meta));
    }
    if (f.handoff) addSys(strings().handedOff);
    if (ENDINGS.indexOf(f.intent) >= 0 || (f.flow && f.flow.status === 'completed')) askRating();
    updateTyping();
    botArrived(f.at);
    scrollDown();
  }

  function error(f) {
    const code = String(f.code || '');
    const pending = f.replyTo ? st.unanswered.get(f.replyTo) : null;
    if (!f.replyTo || !pending) {
      if (FATAL.indexOf(code) >= 0 || code === 'not_ready') { st.closeReason = code; return; } // the close follows
      if (code === 'rate_limited' || code === 'bad_shopper_token') return; // the chat goes on anonymously
      addMessage('err', errorText(code), false);
      return;
    }
    // rate_limited and overloaded: the message was not processed; send it again a little later
    if ((code === 'rate_limited' || code === 'overloaded' || code === 'internal' || code === 'unavailable') && pending.tries < 5) {
      pending.tries++;
      const wait = code === 'rate_limited' && typeof f.retryAfterMs === 'number' ? f.retryAfterMs
        : BACKOFF_BASE_MS * Math.pow(2, pending.tries);
      setTimeout(() => { if (st.unanswered.get(f.replyTo) === pending) transmit(f.replyTo, pending); }, wait + Math.random() * 250);
      return;
    }
    pending.el.classList.remove('pending');
    pending.el.classList.add('failed');
    st.unanswered.delete(f.replyTo);
    const e = addMessage('err', strings().notSent + errorText(code), false);
    e.setAttribute('role', 'alert');
    updateTyping();
  }

  // ---- sending ----
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'm-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function submit() {
    if (send(ui.input.value)) {
      ui.input.value = '';
      autoGrow();
      updateCounter();
    }
    ui.input.focus();
  }

  /** Sends a message; returns false (and says why) when it cannot be sent as it is. */
  function send(raw) {
    const text = String(raw || '').trim();
    if (!text || st.fatal) return false;
    const n = chars(text);
    if (n > st.limits.maxTextChars) {
      showNotice(strings().tooLong(n.toLocaleString(st.lang || 'en'), st.limits.maxTextChars.toLocaleString(st.lang || 'en')));
      ui.notice.dataset.kind = 'too-long';
      return false;
    }
    const id = newId();
    const div = addMessage('me pending', text, Date.now());
    const m = { text: text, el: div, tries: 0 };
    st.unanswered.set(id, m);
    st.sentIds.add(id);
    if (st.welcomed) saveConversation({});
    transmit(id, m);
    updateTyping();
    ensureConnected();
    return true;
  }

  // ---- start ----
  function applyConfig(cfg) {
    st.cfg = cfg;
    st.merchant = cfg.merchant;
    if (cfg.limits && cfg.limits.maxTextChars) st.limits.maxTextChars = cfg.limits.maxTextChars;
    const brand = cfg.brand || {};
    if (typeof brand.color === 'string' && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(brand.color)) {
      ui.root.style.setProperty('--accent', brand.color);
      ui.root.style.setProperty('--on-accent', readableOn(brand.color));
    }
    const logo = safeUrl(brand.logo);
    if (logo) { ui.logo.src = logo; ui.logo.hidden = false; }
    st.lang = pickLanguage();
    relabel();
    if (MODE === 'page') document.title = storeName();
  }

  /** Black or white text, whichever reads better on the brand colour. */
  function readableOn(hex) {
    let h = hex.slice(1);
    if (h.length === 3) h = h.split('').map(c => c + c).join('');
    const [r, g, b] = [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16) / 255)
      .map(c => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)));
    const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return (1.05 / (lum + 0.05)) >= ((lum + 0.05) / 0.05) ? '#fff' : '#111';
  }

  let configAttempt = 0;
  function start() {
    const url = HTTP_ORIGIN + '/api/chat-config' + (st.merchant ? '?merchant=' + encodeURIComponent(st.merchant) : '');
    fetch(url, { credentials: 'omit' }).then(r => r.json().then(body => ({ status: r.status, body: body }))).then(({ status, body }) => {
      if (status === 404 || body.error === 'unknown_merchant') {
        if (!st.lang) { st.lang = pickLanguage(); relabel(); }
        fatal('unknown_merchant');
        return;
      }
      if (!body.ready) { retryStart(); return; }
      applyConfig(body);
      if (body.originAllowed === false) { fatal('origin_not_allowed'); return; }
      configAttempt = 0;
      let reopen = false;
      try { reopen = sessionStorage.getItem(openFlagKey()) === '1'; } catch (e) { /* ignore */ }
      if (MODE === 'page') { setConn('connecting'); connect(); return; }
      if (reopen) open(false);
      else if (loadConversation()) ensureConnected(); // a conversation in progress: history, replies, unread count
    }).catch(retryStart);
  }

  function retryStart() {
    setConn('connecting');
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, configAttempt++));
    setTimeout(start, ceiling / 2 + Math.random() * ceiling / 2);
  }

  function mount() {
    if (!document.body) { document.addEventListener('DOMContentLoaded', mount, { once: true }); return; }
    const registry = (window.NectarChat = window.NectarChat || { widgets: [] });
    if (registry.widgets.some(w => w.merchant === (st.merchant || '') && w.mode === MODE)) return; // the snippet twice on one page
    registry.widgets.push({ merchant: st.merchant || '', mode: MODE });
    registry.open = () => open(true);
    registry.close = () => close(true);
    st.lang = (navigator.language || 'en').toLowerCase().split('-')[0];
    build();
    document.body.appendChild(host);
    window.addEventListener('online', () => { if (st.conn === 'reconnecting' && !st.ws && st.cfg) { st.attempt = 0; connect(); } });
    start();
  }

  mount();
})();
