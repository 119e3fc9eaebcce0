// A department's desk: its open work orders by deadline, and a reply form on each order that owes one. The list is
// the API's (GET /api/v1/work-orders, which gives a department its own orders only), read again every 30 s and after
// each reply. Everything is built with DOM calls and textContent, never from HTML strings.
'use strict';

const RefreshMs = 30_000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const when = iso => iso ? new Date(iso).toLocaleString() : '–';

/** How long until the reply is due, or how long past it. */
function dueIn(iso) {
  if (!iso) return 'replied';
  const minutes = Math.round((new Date(iso) - Date.now()) / 60000);
  const text = Math.abs(minutes) >= 120 ? `${Math.round(Math.abs(minutes) / 60)} h` : `${Math.abs(minutes)} min`;
  return minutes >= 0 ? `in ${text}` : `${text} ago`;
}

function orderRow(order) {
  const owesReply = order.state === 'dispatched' || order.state === 'reopened';
  const text = el('textarea', { class: 'reply-text', maxlength: '2000', rows: '2', 'aria-label': `reply to ${order.id}` });
  const reply = owesReply
    ? el('td', {}, text, el('button', { class: 'reply', type: 'button', onclick: () => sendReply(order.id, text.value) }, 'Reply'))
    : el('td', { class: 'replied' }, when(order.repliedAt));
  return el('tr', { 'data-order': order.id, class: order.lateness === 'problem' ? 'late-problem' : order.lateness === 'overdue' ? 'late-overdue' : '' },
    el('td', {}, order.id), el('td', {}, order.category), el('td', {}, when(order.openedAt)),
    el('td', { class: 'due' }, dueIn(order.replyDueAt)), el('td', { class: 'state' }, order.state),
    el('td', { class: 'summary' }, order.summary), reply);
}

/** The replies being written, by order: a refresh of the list must not wipe them. */
function draftsOf() {
  const drafts = {};
  for (const text of document.querySelectorAll('#orders .reply-text')) {
    if (text.value) drafts[text.closest('tr').dataset.order] = text.value;
  }
  return drafts;
}

async function load(options) {
  // Not while a reply is being typed (the next refresh comes in 30 s), unless the page asks after sending one.
  if (!options?.force && document.activeElement?.classList.contains('reply-text')) return;
  const drafts = draftsOf();
  const response = await fetch('/api/v1/work-orders?limit=500', { headers: { Accept: 'application/json' } });
  if (response.status === 401) { location.href = '/wallboard/login?returnUrl=/desk/department'; return; }
  if (!response.ok) { document.getElementById('desk-result').textContent = `The orders could not be read (${response.status}).`; return; }
  const orders = await response.json();
  document.querySelector('#orders tbody').replaceChildren(...orders.map(orderRow));
  for (const [id, text] of Object.entries(drafts)) {
    const area = document.querySelector(`#orders tr[data-order="${CSS.escape(id)}"] .reply-text`);
    if (area) area.value = text;
  }
  const late = orders.filter(o => o.lateness !== 'inTime' && (o.state === 'dispatched' || o.state === 'reopened')).length;
  document.getElementById('counts').textContent = `${orders.length} open, ${late} late.`;
  document.getElementById('refreshed').textContent = `Read at ${new Date().toLocaleTimeString()}.`;
}

async function sendReply(id, text) {
  const result = document.getElementById('desk-result');
  if (!text.trim()) { result.textContent = 'Write the reply first.'; return; }
  const response = await fetch(`/api/v1/work-orders/${encodeURIComponent(id)}/reply`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Contact-Center': 'department-desk' },
    body: JSON.stringify({ text }),
  });
  const body = await response.json().catch(() => ({}));
  result.textContent = response.ok ? `Replied to ${id}.` : `Not replied to ${id}: ${body.detail || response.status}`;
  if (response.ok) {
    const area = document.querySelector(`#orders tr[data-order="${CSS.escape(id)}"] .reply-text`);
    if (area) area.value = '';
  }
  await load({ force: true });
}

async function start() {
  const me = await fetch('/desk/whoami').then(r => r.ok ? r.json() : null);
  document.getElementById('department').textContent = me?.name || '';
  await load();
  setInterval(load, RefreshMs);
}

start();
