// The agents' workbench page. Every text that came from a shopper, the bot, the store or an agent is put
// on the page with textContent only, never as HTML.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const st = { ws: null, me: null, current: null, owner: null, ownerLogin: null, assist: null, draftFrom: null,
    seen: new Set(), refs: 0, attempt: 0, queueTimer: null };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  async function checkSession() {
    const r = await fetch('/api/agent/session', { credentials: 'same-origin' });
    if (r.ok) start(await r.json());
  }

  $('signin').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('error').textContent = '';
    const body = { merchant: $('merchant').value.trim(), login: $('login').value.trim(), password: $('password').value };
    const r = await fetch('/api/agent/session', { method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const j = await r.json().catch(() => ({}));
    $('password').value = '';
    if (r.ok) start(j); else $('error').textContent = j.error || ('sign-in failed (' + r.status + ')');
  });

  $('signout').addEventListener('click', async () => {
    await fetch('/api/agent/session', { method: 'DELETE', credentials: 'same-origin' });
    location.reload();
  });
  // the button stays disabled until the page's script handles the form: a click before that must not post
  // the password anywhere by itself
  $('go').disabled = false;
  document.body.dataset.workbench = 'ready';

  function start(me) {
    st.me = me;
    $('signin').style.display = 'none';
    $('app').classList.add('on');
    $('me').textContent = (me.name || me.login) + ' · ' + me.merchant;
    connect();
  }

  function connect() {
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/agent');
    st.ws = ws;
    ws.onopen = () => { st.attempt = 0; $('notice').textContent = ''; if (st.current) ask({ type: 'open', conversationId: st.current }); };
    ws.onmessage = (m) => { try { handle(JSON.parse(m.data)); } catch (e) { console.error(e); } };
    ws.onclose = (e) => {
      st.ws = null;
      if (e.code === 4401) { location.reload(); return; }
      $('notice').textContent = 'Reconnecting…';
      setTimeout(connect, Math.min(10000, 300 * Math.pow(2, st.attempt++)));
    };
  }

  function ask(frame) {
    if (!st.ws || st.ws.readyState !== 1) { $('notice').textContent = 'Not connected; try again in a moment.'; return; }
    frame.ref = ++st.refs;
    st.ws.send(JSON.stringify(frame));
  }

  function refreshQueue() {
    clearTimeout(st.queueTimer);
    st.queueTimer = setTimeout(() => ask({ type: 'queue' }), 300);
  }
  setInterval(() => { if (st.ws) ask({ type: 'queue' }); }, 5000);

  function handle(f) {
    switch (f.type) {
      case 'queue': return queue(f);
      case 'conversation': return conversation(f);
      case 'frames':
        refreshQueue();
        if (f.conversationId === st.current) f.frames.forEach(addFrame);
        return;
      case 'owner':
        refreshQueue();
        if (f.conversationId === st.current) { addFrame(f.frame); setOwner(f.owner, f.ownerLogin); }
        return;
      case 'assist':
        if (f.assist.conversationId === st.current) pane(f.assist);
        return;
      case 'sent': $('text').value = ''; st.draftFrom = null; return;
      case 'error':
        $('notice').textContent = f.message || f.code;
        if (f.conversationId === st.current && f.owner) setOwner(f.owner, f.ownerLogin);
        return;
      case 'resync': refreshQueue(); if (st.current) ask({ type: 'open', conversationId: st.current }); return;
      default: return;
    }
  }

  function item(c, meta) {
    const b = el('button', 'item' + (c.conversationId === st.current ? ' sel' : ''));
    b.type = 'button';
    b.dataset.id = c.conversationId;
    b.appendChild(el('div', '', c.lastMessage || c.conversationId.slice(0, 8)));
    b.appendChild(el('div', 'meta', meta));
    b.onclick = () => openConversation(c.conversationId);
    return b;
  }

  function queue(f) {
    const q = $('queue');
    q.replaceChildren();
    for (const h of f.handoffs || []) {
      q.appendChild(item(h, [h.reason, h.language, 'waiting ' + fmtWait(h.waitingSeconds),
        h.takenBy ? 'taken by ' + h.takenBy : ''].filter(Boolean).join(' · ')));
    }
    if (!q.childElementCount) q.appendChild(el('div', 'meta', 'Nobody is waiting.'));
    const l = $('live');
    l.replaceChildren();
    for (const c of f.live || []) {
      l.appendChild(item(c, [c.owner === 'agent' ? 'with ' + c.ownerLogin : c.owner, c.language].filter(Boolean).join(' · ')));
    }
  }

  function fmtWait(s) { return s < 60 ? s + ' s' : Math.floor(s / 60) + ' min'; }

  function openConversation(id) {
    st.current = id;
    st.seen.clear();
    st.assist = null;
    $('log').replaceChildren();
    $('pane').replaceChildren(el('span', 'meta', 'Take the conversation to see suggestions.'));
    $('title').textContent = 'Conversation ' + id.slice(0, 8);
    document.querySelectorAll('.item').forEach((b) => b.classList.toggle('sel', b.dataset.id === id));
    ask({ type: 'open', conversationId: id });
  }

  function conversation(f) {
    if (f.conversationId !== st.current) return;
    $('log').replaceChildren();
    st.seen.clear();
    (f.frames || []).forEach(addFrame);
    setOwner(f.owner, f.ownerLogin);
    const ctx = $('context');
    ctx.replaceChildren();
    if (f.handoffReason) ctx.appendChild(el('div', '', 'Handed off: ' + f.handoffReason));
    ctx.appendChild(el('div', 'meta', 'Language: ' + (f.language || '?')));
    ctx.appendChild(el('pre', '', JSON.stringify(f.dialogue || {}, null, 1)));
    if (f.assist) pane(f.assist);
  }

  function addFrame(fr) {
    if (!fr || (typeof fr.seq === 'number' && st.seen.has(fr.seq))) return;
    if (typeof fr.seq === 'number') st.seen.add(fr.seq);
    const role = fr.type === 'message' ? 'shopper' : fr.type === 'reply' ? 'bot' : fr.type === 'agent' ? 'agent' : 'system';
    const d = el('div', 'msg ' + role, fr.text);
    d.dataset.seq = fr.seq;
    $('log').appendChild(d);
    d.scrollIntoView({ block: 'end' });
  }

  function setOwner(owner, login) {
    st.owner = owner;
    st.ownerLogin = login;
    const mine = owner === 'agent' && login === st.me.login;
    $('owner').textContent = owner === 'agent' ? (mine ? 'you have it' : 'taken by ' + login) : owner === 'closed' ? 'closed' : 'the bot answers';
    $('take').hidden = owner === 'agent';
    $('handback').hidden = !mine;
    $('close').hidden = !mine;
    $('compose').hidden = !mine;
    if (!mine) $('pane').replaceChildren(el('span', 'meta', owner === 'agent' ? 'Another agent has this conversation.' : 'Take the conversation to see suggestions.'));
  }

  function pane(a) {
    st.assist = a;
    const p = $('pane');
    p.replaceChildren();
    p.appendChild(el('div', '', 'Intent: ' + a.intent + ' (' + Math.round(a.confidence * 100) + '%)'));
    p.appendChild(el('div', 'meta', 'For: ' + a.message));
    a.suggestions.forEach((s, i) => {
      const box = el('div', 'sugg');
      box.dataset.id = s.id;
      box.appendChild(el('div', 'meta', (i + 1) + '. ' + s.kind + ' · ' + (s.label || s.ref || '') + ' · ' + Math.round(s.confidence * 100) + '%'));
      box.appendChild(el('div', 'text', s.text === undefined ? '(runs the store\'s action when sent)' : s.text));
      const send = el('button', 'use', 'Send');
      send.type = 'button';
      send.onclick = () => ask({ type: 'send', conversationId: a.conversationId, assistId: a.assistId, suggestionId: s.id,
        text: s.text === undefined ? '' : s.text });
      box.appendChild(send);
      if (s.text !== undefined) {
        const edit = el('button', 'edit', 'Edit');
        edit.type = 'button';
        edit.onclick = () => { $('text').value = s.text; st.draftFrom = s.id; $('text').focus(); };
        box.appendChild(edit);
      }
      p.appendChild(box);
    });
    if (a.entities && a.entities.length) p.appendChild(el('div', 'meta', 'Entities: ' + a.entities.map((e) => e.type + '=' + e.value).join(', ')));
    if (a.orders && a.orders.length) p.appendChild(el('pre', '', 'Orders: ' + JSON.stringify(a.orders, null, 1)));
    if (a.product) p.appendChild(el('pre', '', 'Product: ' + JSON.stringify(a.product, null, 1)));
  }

  $('send').onclick = () => {
    const text = $('text').value;
    if (!text.trim() || !st.current) return;
    const a = st.assist;
    ask({ type: 'send', conversationId: st.current, text: text, assistId: a ? a.assistId : undefined,
      suggestionId: a && st.draftFrom ? st.draftFrom : undefined });
  };
  $('take').onclick = () => ask({ type: 'take', conversationId: st.current });
  $('handback').onclick = () => ask({ type: 'handback', conversationId: st.current });
  $('close').onclick = () => ask({ type: 'close', conversationId: st.current });

  checkSession();
})();
