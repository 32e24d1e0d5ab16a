// dflockd status page: polls /status/data.json once a second and counts leases down in between.
// Every value shown comes from clients (keys, patterns, groups), so text goes in with textContent only.
'use strict';

(() => {
  const DATA = '/status/data.json';
  const POLL_MS = 1000;
  const TICK_MS = 100;
  const SOON_S = 5;
  const MAX_SLOT_BOXES = 32;
  const TOKEN = 'dflockd.status.token';

  const $ = (id) => document.getElementById(id);
  let pollTimer = 0;

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function row(key, cells) {
    const tr = el('tr');
    tr.dataset.key = key;
    tr.append(el('td', key, 'key'), ...cells);
    return tr;
  }

  function fill(tableId, items, toRow, emptyText) {
    const table = $(tableId);
    const rows = items.map(toRow);
    if (rows.length === 0) {
      const td = el('td', emptyText, 'empty');
      td.colSpan = table.tHead.rows[0].cells.length;
      rows.push(el('tr'));
      rows[0].append(td);
    }
    table.tBodies[0].replaceChildren(...rows);
  }

  function seconds(s) {
    return s >= 90 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${s.toFixed(1)} s`;
  }

  // A lease cell keeps its deadline on the page's monotonic clock; tick() rewrites its text.
  function countdown(leaseSeconds, receivedAt) {
    const td = el('td', null, 'countdown');
    td.dataset.deadline = String(receivedAt + leaseSeconds * 1000);
    paint(td, performance.now());
    return td;
  }

  function paint(td, now) {
    const left = Math.max(0, (Number(td.dataset.deadline) - now) / 1000);
    td.textContent = seconds(left);
    td.classList.toggle('soon', left < SOON_S);
  }

  function tick() {
    const now = performance.now();
    document.querySelectorAll('td.countdown').forEach((td) => paint(td, now));
  }

  function slots(limit, holders) {
    const td = el('td');
    if (limit > MAX_SLOT_BOXES) return td;
    const boxes = el('span', null, 'slots');
    boxes.setAttribute('aria-hidden', 'true');
    for (let i = 0; i < limit; i++) boxes.append(el('span', null, i < holders ? 'slot used' : 'slot'));
    td.append(boxes);
    return td;
  }

  function render(d, receivedAt) {
    const locks = d.locks || [];
    const semaphores = d.semaphores || [];
    const rwLocks = d.rw_locks || [];
    const held = locks.filter((l) => l.owner_conn_id !== 0).length;
    const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
    $('connections').textContent = d.connections;
    $('locks-held').textContent = held;
    $('slots-held').textContent = sum(semaphores, (s) => s.holders);
    $('waiting').textContent = sum(locks, (l) => l.waiters) + sum(semaphores, (s) => s.waiters)
      + sum(rwLocks, (l) => l.waiters);
    $('server-time').textContent = new Date(d.server_time_ms).toLocaleTimeString();

    fill('locks', locks, (l) => l.owner_conn_id === 0
      ? row(l.key, [el('td', 'none (waiters only)', 'muted'), el('td', '–', 'muted'), el('td', l.waiters, 'num')])
      : row(l.key, [el('td', `conn ${l.owner_conn_id}`), countdown(l.lease_expires_in_s, receivedAt),
        el('td', l.waiters, 'num')]), 'No lock is held or waited for.');
    fill('semaphores', semaphores, (s) => row(s.key, [slots(s.limit, s.holders),
      el('td', `${s.holders} / ${s.limit}`, 'num held'), el('td', s.waiters, 'num')]), 'No semaphore is in use.');
    fill('rw-locks', rwLocks, (l) => row(l.key, [
      l.writer ? el('td', 'a writer') : l.readers > 0 ? el('td', `${l.readers} reader${l.readers === 1 ? '' : 's'}`)
        : el('td', 'none (waiters only)', 'muted'),
      el('td', l.waiters, 'num')]), 'No read-write lock is held or waited for.');
    fill('signals', d.signal_channels || [], (c) => row(c.pattern, [
      el('td', c.group ?? '–', c.group == null ? 'muted' : ''), el('td', c.listeners, 'num')]), 'Nobody listens.');
    // Counters, entries and lists share one table: a key can be one of each (separate namespaces).
    const data = (d.counters || []).map((c) => ({ key: c.key, kind: 'counter', value: String(c.value), ttl: 0 }))
      .concat((d.kv_entries || []).map((e) => ({ key: e.key, kind: 'entry', value: `${e.value_len} bytes`, ttl: e.ttl })))
      .concat((d.lists || []).map((l) => ({ key: l.key, kind: 'list',
        value: `${l.len} item${l.len === 1 ? '' : 's'}${l.pop_waiters ? `, ${l.pop_waiters} waiting to pop` : ''}`, ttl: 0 })));
    fill('data', data, (x) => row(x.key, [el('td', x.kind), el('td', x.value, 'num'),
      x.ttl > 0 ? countdown(x.ttl, receivedAt) : el('td', '–', 'muted')]), 'No counter, entry or list.');
    fill('barriers', d.barriers || [], (b) => row(b.key, [el('td', `${b.participants} / ${b.count}`, 'num')]),
      'No barrier is filling.');
    fill('watches', d.watch_channels || [], (w) => row(w.pattern, [el('td', w.watchers, 'num')]), 'Nobody watches.');
    const idle = (d.idle_locks || []).map((i) => ({ ...i, kind: 'lock' }))
      .concat((d.idle_semaphores || []).map((i) => ({ ...i, kind: 'semaphore' })));
    fill('idle', idle, (i) => row(i.key, [el('td', i.kind), el('td', seconds(i.idle_s), 'num')]), 'No idle key.');
  }

  function state(text, className) {
    const s = $('state');
    s.textContent = text;
    s.className = `state ${className}`;
    document.body.classList.toggle('stale', className !== 'live');
  }

  function askForToken(message) {
    $('auth-message').textContent = message;
    $('auth').hidden = false;
    $('token').focus();
    state('token needed', 'stale');
  }

  async function poll() {
    clearTimeout(pollTimer);
    const token = sessionStorage.getItem(TOKEN);
    try {
      const r = await fetch(DATA, {
        cache: 'no-store',
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        signal: AbortSignal.timeout(5000),
      });
      if (r.status === 401) {
        askForToken(token ? 'The server rejected that token. Enter the server\'s auth token:'
          : 'This server has an auth token. Enter it to see its status; it is kept in this tab only.');
        return; // resumes when a token is submitted
      }
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      render(await r.json(), performance.now());
      $('auth').hidden = true;
      state('live', 'live');
    } catch (e) {
      state(`no answer (${e.message}), retrying`, 'down');
    }
    pollTimer = setTimeout(poll, POLL_MS);
  }

  $('auth').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, $('token').value.trim());
    $('token').value = '';
    poll();
  });
  setInterval(tick, TICK_MS);
  poll();
})();
