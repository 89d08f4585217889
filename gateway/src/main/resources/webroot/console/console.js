/*
 * The merchant console: signs in (POST /api/console/login) and then uses the merchant API with the
 * session token. Every text from the server goes into the page with textContent, never as markup.
 */
(() => {
  'use strict';
  const $ = id => document.getElementById(id);
  const KEY = 'nectar.console.session';
  const st = { session: null, faq: [], charts: [], tab: 'numbers', items: [] };
  try { st.session = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { st.session = null; }

  function node(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function status(text, isError) {
    $('status').textContent = text || '';
    $('status').className = isError ? 'error' : '';
  }

  async function api(method, path, body) {
    const headers = { authorization: 'Bearer ' + st.session.token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch('/api/merchant' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const j = await r.json().catch(() => ({}));
    if (r.status === 401 || r.status === 403) { signedOut('Your session has ended; please sign in again.'); throw new Error('signed out'); }
    if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
    return j;
  }

  // ---- signing in and out ----
  $('signin-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    $('si-error').textContent = '';
    const body = { merchant: $('si-merchant').value.trim(), username: $('si-user').value.trim(), password: $('si-password').value };
    try {
      const r = await fetch('/api/console/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const j = await r.json().catch(() => ({}));
      if (!r.ok) { $('si-error').textContent = j.error || ('HTTP ' + r.status); return; }
      st.session = { token: j.token, merchant: j.merchant, username: j.username };
      sessionStorage.setItem(KEY, JSON.stringify(st.session));
      $('si-password').value = '';
      start();
    } catch (e) {
      $('si-error').textContent = 'The gateway cannot be reached: ' + e.message;
    }
  });

  $('signout').addEventListener('click', async () => {
    try { await fetch('/api/console/logout', { method: 'POST', headers: { authorization: 'Bearer ' + st.session.token } }); } catch (e) { /* gone anyway */ }
    signedOut('');
  });

  function signedOut(message) {
    sessionStorage.removeItem(KEY);
    st.session = null;
    $('app').hidden = true;
    $('signin').hidden = false;
    $('si-error').textContent = message;
  }

  function start() {
    $('signin').hidden = true;
    $('app').hidden = false;
    $('who').textContent = st.session.merchant + ' · ' + st.session.username;
    const today = new Date();
    const from = new Date(today.getTime() - 29 * 86400000);
    if (!$('to').value) $('to').value = today.toISOString().slice(0, 10);
    if (!$('from').value) $('from').value = from.toISOString().slice(0, 10);
    $('chat').src = '/?merchant=' + encodeURIComponent(st.session.merchant) + '&debug=1';
    show(st.tab);
  }

  // ---- tabs ----
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => show(b.dataset.tab));
  $('reload').addEventListener('click', () => show(st.tab));

  function show(tab) {
    st.tab = tab;
    for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    for (const p of document.querySelectorAll('.pane')) p.hidden = p.id !== 'tab-' + tab;
    $('period').hidden = !(tab === 'numbers' || tab === 'missed');
    status('');
    const load = { numbers: loadNumbers, missed: loadMissed, faq: loadFaq, check: () => {}, items: loadItems, reminders: loadReminders,
      chat: () => {} }[tab];
    Promise.resolve().then(load).catch(e => { if (e.message !== 'signed out') status(e.message, true); });
  }

  function period() {
    return '?from=' + encodeURIComponent($('from').value) + '&to=' + encodeURIComponent($('to').value);
  }

  // ---- numbers ----
  const SHOWN = [
    ['conversations', 'Conversations'], ['messages', 'Messages'], ['automation_rate', 'Automation rate'],
    ['resolution_rate', 'Resolution rate'], ['handoff_rate', 'Handoff rate (of bot-touched)'], ['conversion_rate', 'Conversion'],
    ['csat', 'CSAT'], ['complaints', 'Complaints'], ['bot_first_reply_ms', 'Bot first reply (ms)'],
    ['agent_first_reply_ms', 'Agent first reply (ms)'], ['reminders_sent', 'Reminders sent'],
    ['reminder_recovery_rate', 'Reminder recovery'], ['holdout_recovery_rate', 'Holdout recovery'], ['reminder_uplift', 'Reminder uplift'],
    ['offers_shown', 'Offers shown'], ['offer_take_up', 'Offer take-up'], ['assist_adoption', 'Assist adoption'], ['assist_acceptance', 'Assist acceptance']];

  function value(v) {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'object') return 'p50 ' + value(v.p50) + ' · p90 ' + value(v.p90) + ' · p99 ' + value(v.p99);
    return String(v);
  }

  async function loadNumbers() {
    const [n, daily, complaints] = await Promise.all([api('GET', '/metrics' + period()), api('GET', '/metrics/daily' + period()),
      api('GET', '/complaints' + period())]);
    const body = $('numbers').tBodies[0];
    body.textContent = '';
    for (const [k, label] of SHOWN) {
      const tr = document.createElement('tr');
      tr.appendChild(node('th', label));
      const td = node('td', value(n[k]));
      td.dataset.metric = k;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    charts(daily.days || []);
    const ul = $('complaints');
    ul.textContent = '';
    for (const c of complaints.complaints || []) {
      const li = node('li', c.at.slice(0, 16).replace('T', ' ') + ' · ' + (c.rating === 'bad' ? 'rated bad' : 'anger words') + ': ');
      if (c.comment) li.appendChild(node('q', c.comment));
      if (c.lastShopperMessage) li.appendChild(node('span', ' last message: ' + c.lastShopperMessage));
      ul.appendChild(li);
    }
    if (!(complaints.complaints || []).length) ul.appendChild(node('li', 'None in this period.'));
  }

  function charts(days) {
    for (const c of st.charts) c.destroy();
    st.charts = [];
    const box = $('charts');
    box.textContent = '';
    if (!days.length) { box.appendChild(node('p', 'No conversations in this period.')); return; }
    const x = days.map(d => Date.parse(d.day + 'T00:00:00Z') / 1000);
    const col = k => days.map(d => d[k] === null || d[k] === undefined ? null : d[k]);
    const width = Math.min(560, Math.max(320, window.innerWidth - 48));
    const specs = [
      ['Conversations per day', [['conversations', 'conversations', '#e8590c']]],
      ['Rates per day', [['automation_rate', 'automation', '#2563eb'], ['resolution_rate', 'resolution', '#16a34a'], ['csat', 'CSAT', '#9333ea']]],
      ['Bot first reply p90 (ms)', [['bot_p90', 'p90', '#0891b2']]]];
    for (const d of days) d.bot_p90 = d.bot_first_reply_ms ? d.bot_first_reply_ms.p90 : null;
    for (const [title, series] of specs) {
      const div = node('div', null, 'chart');
      box.appendChild(div);
      const opts = { title, width, height: 220, scales: { x: { time: true } },
        series: [{}].concat(series.map(([, label, stroke]) => ({ label, stroke, width: 2, points: { show: true } }))) };
      st.charts.push(new uPlot(opts, [x].concat(series.map(([k]) => col(k))), div));
    }
  }

  // ---- what the bot could not answer ----
  async function loadMissed() {
    const m = await api('GET', '/missed' + period());
    $('missed-summary').textContent = m.questions + ' questions got the fallback or a person in this period, in ' + m.groups.length + ' groups.';
    const ol = $('missed');
    ol.textContent = '';
    m.groups.forEach((g, i) => {
      const li = node('li');
      li.dataset.group = String(i);
      li.appendChild(node('strong', g.count + ' × (' + g.language + ') '));
      li.appendChild(node('span', g.examples.map(e => e.text + (e.count > 1 ? ' ×' + e.count : '')).join(' · '), 'examples'));
      const actions = node('div');
      if (g.suggestion) {
        const add = node('button', 'Add as paraphrases of "' + g.suggestion.question + '"', 'add-paraphrase');
        add.addEventListener('click', () => addParaphrases(g.suggestion.faq, g.language, g.texts).catch(e => status(e.message, true)));
        actions.appendChild(add);
      }
      const fresh = node('button', 'New entry…', 'new-entry');
      fresh.addEventListener('click', () => newEntryForm(li, g));
      actions.appendChild(fresh);
      li.appendChild(actions);
      ol.appendChild(li);
    });
  }

  async function addParaphrases(id, lang, texts) {
    const e = await api('GET', '/faq/' + encodeURIComponent(id));
    const qs = (e.questions && e.questions[lang]) || [];
    const answer = e.answer && e.answer[lang];
    if (!qs.length || !answer) throw new Error('entry ' + id + ' has no ' + lang + ' version to add to');
    const seen = new Set(qs.map(q => q.toLowerCase()));
    const added = texts.filter(t => !seen.has(t.toLowerCase()));
    const paraphrases = qs.slice(1).concat(added).slice(0, 200);
    const r = await api('PUT', '/faq/' + encodeURIComponent(id), { lang, question: qs[0], paraphrases, answer });
    status('Added ' + added.length + ' phrasings to ' + id + ' (knowledge version ' + r.version + '): live now.');
  }

  function newEntryForm(li, g) {
    if (li.querySelector('form')) return;
    const f = node('form', null, 'new-entry-form');
    const id = node('input');
    id.placeholder = 'entry id (letters, digits, -)';
    id.required = true;
    const answer = node('textarea');
    answer.placeholder = 'the answer';
    answer.required = true;
    f.append(id, answer, node('button', 'Create'));
    f.addEventListener('submit', async ev => {
      ev.preventDefault();
      try {
        const r = await api('PUT', '/faq/' + encodeURIComponent(id.value.trim()),
          { lang: g.language, question: g.texts[0], paraphrases: g.texts.slice(1, 200), answer: answer.value });
        status('Created ' + r.id + ' (knowledge version ' + r.version + '): live now.');
        f.remove();
      } catch (e) { status(e.message, true); }
    });
    li.appendChild(f);
  }

  // ---- FAQ ----
  async function loadFaq() {
    const r = await api('GET', '/faq');
    st.faq = r.faq || [];
    renderFaq();
  }

  $('faq-filter').addEventListener('input', renderFaq);

  function renderFaq() {
    const q = $('faq-filter').value.trim().toLowerCase();
    const ul = $('faq-list');
    ul.textContent = '';
    for (const e of st.faq) {
      const first = Object.values(e.questions || {}).map(l => l[0]).join(' / ');
      if (q && !(e.id + ' ' + first).toLowerCase().includes(q)) continue;
      const li = node('li', e.id + ': ' + first);
      li.dataset.id = e.id;
      li.addEventListener('click', () => editFaq(e));
      ul.appendChild(li);
    }
  }

  function editFaq(e) {
    st.editing = e;
    $('faq-edit').hidden = false;
    $('faq-title').textContent = e.id;
    const sel = $('faq-lang');
    sel.textContent = '';
    for (const l of Object.keys(e.questions || {})) sel.appendChild(node('option', l));
    fillFaq();
  }

  $('faq-lang').addEventListener('change', fillFaq);

  function fillFaq() {
    const e = st.editing;
    const l = $('faq-lang').value;
    const qs = (e.questions && e.questions[l]) || [];
    $('faq-question').value = qs[0] || '';
    $('faq-paraphrases').value = qs.slice(1).join('\n');
    $('faq-answer').value = (e.answer && e.answer[l]) || '';
  }

  $('faq-edit').addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const id = st.editing.id;
      const r = await api('PUT', '/faq/' + encodeURIComponent(id), { lang: $('faq-lang').value, question: $('faq-question').value.trim(),
        paraphrases: $('faq-paraphrases').value.split('\n').map(s => s.trim()).filter(Boolean), answer: $('faq-answer').value });
      status('Saved ' + id + ' (knowledge version ' + r.version + '): live on every node within a second.');
      const i = st.faq.findIndex(x => x.id === id);
      if (i >= 0 && r.item) st.faq[i] = r.item;
    } catch (e) { status(e.message, true); }
  });

  // ---- products, promotions, offers ----
  $('item-kind').addEventListener('change', loadItems);

  async function loadItems() {
    const kind = $('item-kind').value;
    const r = await api('GET', '/' + kind);
    st.items = r[kind] || [];
    const ul = $('item-list');
    ul.textContent = '';
    for (const it of st.items) {
      const id = it.sku || it.id;
      const li = node('li', id);
      li.addEventListener('click', () => {
        $('item-id').value = id;
        const copy = Object.assign({}, it);
        delete copy.sku;
        delete copy.id;
        $('item-json').value = JSON.stringify(copy, null, 2);
      });
      ul.appendChild(li);
    }
  }

  $('item-edit').addEventListener('submit', async ev => {
    ev.preventDefault();
    let body;
    try { body = JSON.parse($('item-json').value); } catch (e) { status('That is not valid JSON: ' + e.message, true); return; }
    try {
      const kind = $('item-kind').value;
      const r = await api('PUT', '/' + kind + '/' + encodeURIComponent($('item-id').value.trim()), body);
      status('Saved (knowledge version ' + r.version + ').');
      await loadItems();
    } catch (e) { status(e.message, true); }
  });

  // ---- store check ----
  $('check-run').addEventListener('click', () => runCheck().catch(e => { if (e.message !== 'signed out') status(e.message, true); }));

  function pct(x) {
    return x === null || x === undefined ? '—' : (100 * x).toFixed(1) + '%';
  }

  async function runCheck() {
    $('check-run').disabled = true;
    status('Checking the store…');
    try {
      const r = await api('GET', '/check');
      const out = $('check-report');
      out.textContent = '';
      for (const l of r.languages) {
        const sec = node('section', null, 'check-language');
        sec.dataset.lang = l.language;
        sec.appendChild(node('h2', '[' + l.language + '] ' + l.entries + ' entries and flows, ' + l.phrasings + ' phrasings'));
        sec.appendChild(node('p', 'Held-out phrasings read right: ' + pct(l.heldOutRight) + '. At answer precision ' + l.precision.asked
          + ' the bot would answer ' + pct(l.precision.answered) + ' of them' + (l.precision.reachable ? '.' : ': that precision is not reachable; fix the confusions below.')));
        if (l.withoutHead) sec.appendChild(node('p', 'Most entries have a single phrasing: the bot answers by the nearest phrasing until most have two or more.'));
        if (l.answerFloor !== null) {
          sec.appendChild(node('p', 'The entries are close to one another: the bot answers only questions at least ' + l.answerFloor
            + ' close to an entry (' + l.encoderThreshold + ' in a store of varied entries). More phrasings per entry help.'));
        }
        const list = node('ul', null, 'findings');
        for (const c of l.confusions) {
          const li = node('li', null, 'confusion');
          li.appendChild(node('strong', 'Confused: ' + c.a + ' and ' + c.b + ' (' + c.misread + ' held-out phrasings misread)'));
          const ex = node('ul');
          for (const e of c.examples) ex.appendChild(node('li', e));
          li.appendChild(ex);
          li.appendChild(node('p', 'If they give the same answer, merge them; otherwise add phrasings that name what differs.', 'suggestion'));
          list.appendChild(li);
        }
        for (const t of l.thin) {
          const li = node('li', null, 'thin');
          li.appendChild(node('strong', 'Too few phrasings: ' + t.entry + ' has ' + t.phrasings));
          li.appendChild(node('p', 'Add at least ' + t.add + ' more, worded as shoppers ask.', 'suggestion'));
          list.appendChild(li);
        }
        for (const d of l.duplicates) {
          const li = node('li', null, 'duplicate');
          li.appendChild(node('strong', 'Near-duplicates: ' + d.a + ' and ' + d.b + ' (cosine ' + d.cosine + ')'
            + (d.shared.length ? ', same phrasings in both: ' + d.shared.join(' · ') : '')));
          li.appendChild(node('p', 'Merge them into one entry, or make each one\'s phrasings say what only it answers.', 'suggestion'));
          list.appendChild(li);
        }
        if (!list.children.length) list.appendChild(node('li', 'Nothing to fix in this language.'));
        sec.appendChild(list);
        out.appendChild(sec);
      }
      if (!r.languages.length) out.appendChild(node('p', 'The store has fewer than two entries in every language: nothing to check.'));
      status('Checked at ' + r.checkedAt.slice(0, 19).replace('T', ' ') + ' UTC');
    } finally {
      $('check-run').disabled = false;
    }
  }

  // ---- reminders ----
  async function loadReminders() {
    const r = await api('GET', '/reminders?status=all');
    const body = $('reminders').tBodies[0];
    body.textContent = '';
    for (const x of r.reminders) {
      const tr = document.createElement('tr');
      for (const v of [x.orderId, x.shopperId, x.status + (x.holdout ? ' (holdout)' : ''), (x.dueAt || '').slice(0, 16).replace('T', ' '), x.reason || '']) {
        tr.appendChild(node('td', v));
      }
      const td = node('td');
      if (x.status === 'scheduled' || x.status === 'waiting') {
        const b = node('button', 'Stop');
        b.addEventListener('click', async () => {
          try { await api('POST', '/reminders/' + encodeURIComponent(x.orderId) + '/stop'); await loadReminders(); } catch (e) { status(e.message, true); }
        });
        td.appendChild(b);
      }
      tr.appendChild(td);
      body.appendChild(tr);
    }
    if (!r.reminders.length) body.appendChild(node('tr')).appendChild(node('td', 'No reminders yet.'));
  }

  document.body.dataset.console = 'ready';
  if (st.session && st.session.token) start();
})();
