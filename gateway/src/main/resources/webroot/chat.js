// Nectar web chat: one WebSocket per tab; survives dropped connections by reconnecting with the same
// conversation id and resending any message that has no reply yet (the server answers each id once).
(function () {
  'use strict';
  const log = document.getElementById('log');
  const statusEl = document.getElementById('status');
  const titleEl = document.getElementById('title');
  const form = document.getElementById('form');
  const input = document.getElementById('text');

  const params = new URLSearchParams(location.search);
  let merchant = params.get('merchant');
  let ws = null;
  let backoff = 500;
  let pingTimer = null;
  const unanswered = new Map(); // client message id -> {text, el}

  function storageKey() { return 'nectar.conversation.' + merchant; }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'm-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  function add(cls, text, metaText) {
    const div = document.createElement('div');
    div.className = 'msg ' + cls;
    div.textContent = text;
    if (metaText) {
      const m = document.createElement('span');
      m.className = 'meta';
      m.textContent = metaText;
      div.appendChild(m);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function chips(parent, items) {
    if (!items.length) return;
    const box = document.createElement('div');
    box.className = 'chips';
    for (const item of items) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chip';
      b.textContent = item.label;
      b.onclick = () => send(item.text);
      box.appendChild(b);
    }
    parent.appendChild(box);
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(text) { statusEl.textContent = text; }

  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let url = proto + '//' + location.host + '/ws/chat?merchant=' + encodeURIComponent(merchant);
    const conv = sessionStorage.getItem(storageKey());
    if (conv) url += '&conversation=' + encodeURIComponent(conv);
    ws = new WebSocket(url);
    ws.onopen = () => { backoff = 500; setStatus('online'); };
    ws.onmessage = (ev) => {
      let f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      handle(f);
    };
    ws.onclose = (ev) => {
      clearInterval(pingTimer);
      if (ev.code === 1008) { setStatus('closed: ' + (ev.reason || 'refused')); return; }
      setStatus('reconnecting…');
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 8000);
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  function handle(f) {
    switch (f.type) {
      case 'welcome': {
        sessionStorage.setItem(storageKey(), f.conversationId);
        titleEl.textContent = f.storeName || 'Nectar';
        document.title = (f.storeName || 'Nectar') + ' · chat';
        if (!log.children.length) {
          for (const t of (f.history || [])) add(t.role === 'shopper' ? 'me' : 'bot', t.text);
          if (f.greeting && !(f.history || []).length) add('bot', f.greeting);
        } else if (!f.resumed) {
          add('sys', '— new conversation —');
        }
        pingTimer = setInterval(() => { if (ws.readyState === 1) ws.send('{"type":"ping"}'); }, 25000);
        for (const [id, m] of unanswered) ws.send(JSON.stringify({ type: 'message', id: id, text: m.text }));
        break;
      }
      case 'reply': {
        const pending = unanswered.get(f.replyTo);
        if (pending) { pending.el.classList.remove('pending'); unanswered.delete(f.replyTo); }
        else if (f.duplicate) break; // already shown
        const zh = f.language === 'zh';
        let meta = f.source + (f.intent ? ' · ' + f.intent : '') +
          (typeof f.confidence === 'number' ? ' · ' + Math.round(f.confidence * 100) + '%' : '');
        if (f.flow) meta += ' · ' + f.flow.id + ' → ' + (f.flow.status === 'active' ? f.flow.step : f.flow.status);
        const el = add('bot', f.text, meta);
        const items = (f.suggestions || []).map(s => ({ label: s, text: s }));
        if (f.handoffOffered) items.push({ label: zh ? '转人工客服' : 'Talk to a human', text: zh ? '转人工' : 'I want to talk to a human' });
        if (f.flow && f.flow.status === 'active' && f.flow.step === 'confirm') {
          items.push({ label: zh ? '确认' : 'Yes', text: zh ? '确认' : 'yes' }, { label: zh ? '取消' : 'Cancel', text: zh ? '算了' : 'never mind' });
        }
        if (f.flow && f.flow.status === 'active' && f.flow.step === 'retry') items.push({ label: zh ? '重试' : 'Retry', text: zh ? '重试' : 'retry' });
        chips(el, items);
        if (f.handoff) add('sys', zh ? '— 已转接人工客服，聊天记录已一并转交 —' : '— handed to a human agent, with this conversation —');
        break;
      }
      case 'error': {
        const pending = f.replyTo && unanswered.get(f.replyTo);
        if (pending) { pending.el.classList.remove('pending'); unanswered.delete(f.replyTo); }
        add('err', f.message + ' [' + f.code + ']');
        break;
      }
      default: break;
    }
  }

  function send(text) {
    text = (text || '').trim();
    if (!text) return;
    const id = newId();
    const el = add('me pending', text);
    unanswered.set(id, { text: text, el: el });
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ type: 'message', id: id, text: text }));
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); send(input.value); input.value = ''; input.focus(); });

  function start() {
    if (merchant) { connect(); return; }
    fetch('/api/chat-config').then(r => r.json()).then(cfg => {
      if (!cfg.ready) { setStatus('loading…'); setTimeout(start, 1000); return; }
      merchant = cfg.defaultMerchant;
      connect();
    }).catch(() => { setStatus('offline, retrying…'); setTimeout(start, 2000); });
  }
  start();
})();
