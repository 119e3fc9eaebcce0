// The agent's desk: their state and the buttons to change it, and, pushed by the silo as a call is offered, who is
// calling (profile, recent contacts, open work orders), the call's controls, and a work order opened from the call.
// Everything goes through the agent API with the agent's own session; nothing is built from HTML strings.
'use strict';

const state = { agent: null, status: null, screenPop: null, source: null };
const Names = { loggedOut: 'Logged out', available: 'Available', reserved: 'Ringing', onCall: 'On call', wrapUp: 'Wrap-up', notReady: 'Not ready' };

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (name === 'class') node.className = value;
    else if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const when = iso => iso ? new Date(iso).toLocaleString() : '–';
const say = text => { document.getElementById('desk-result').textContent = text; };

async function act(path, body) {
  const response = await fetch(`/api/v1/agents/${encodeURIComponent(state.agent)}/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Contact-Center': 'agent-desk' },
    body: JSON.stringify(body || {}),
  });
  const answer = await response.json().catch(() => ({}));
  say(response.ok ? `${path}: done.` : `${path}: ${answer.detail || response.status}`);
  return response.ok;
}

function render() {
  const status = state.status;
  if (!status) return;
  const presence = status.presence;
  document.getElementById('presence').textContent = Names[presence] || presence;
  document.getElementById('presence').dataset.presence = presence;
  document.getElementById('since').textContent = `since ${new Date(status.since).toLocaleTimeString()}${status.reason ? ` (${status.reason})` : ''}`;
  document.getElementById('login-form').hidden = presence !== 'loggedOut';
  document.getElementById('ready').hidden = !['notReady', 'wrapUp'].includes(presence);
  document.getElementById('not-ready').hidden = document.getElementById('reason').hidden = !['available', 'wrapUp'].includes(presence);
  document.getElementById('log-out').hidden = presence === 'loggedOut';

  const callId = status.offer?.callId || status.callId;
  const section = document.getElementById('call');
  section.hidden = !callId;
  if (!callId) return;
  const caller = state.screenPop?.profile;
  document.getElementById('call-title').textContent = presence === 'reserved'
    ? `Ringing: ${status.offer.caller} (${status.offer.queue})` : `Call ${callId}${caller ? ` with ${caller.number}` : ''}`;
  document.getElementById('call-title').dataset.call = callId;
  document.getElementById('caller').replaceChildren(...(caller ? [
    el('div', { class: 'kpi', 'data-caller': 'number' }, el('div', { class: 'label' }, 'number'), el('div', { class: 'value' }, caller.number)),
    el('div', { class: 'kpi', 'data-caller': 'name' }, el('div', { class: 'label' }, 'name'), el('div', { class: 'value' }, caller.name || (caller.known ? '–' : 'not in the master data'))),
    el('div', { class: 'kpi', 'data-caller': 'brand' }, el('div', { class: 'label' }, 'brand'), el('div', { class: 'value' }, caller.brand || '–')),
    el('div', { class: 'kpi', 'data-caller': 'vip' }, el('div', { class: 'label' }, 'VIP'), el('div', { class: 'value' }, caller.vip ? 'VIP' : 'no')),
  ] : []));
  document.querySelector('#contacts tbody').replaceChildren(...(state.screenPop?.recentContacts || []).map(c =>
    el('tr', {}, el('td', {}, when(c.at)), el('td', {}, c.queue || '–'), el('td', {}, c.agent || '–'), el('td', {}, c.disposition), el('td', {}, c.talk))));
  document.querySelector('#open-orders tbody').replaceChildren(...(state.screenPop?.openWorkOrders || []).map(o =>
    el('tr', { 'data-order': o.id }, el('td', {}, o.id), el('td', {}, o.category), el('td', {}, o.state), el('td', {}, when(o.replyDueAt)), el('td', {}, o.summary))));
  document.getElementById('call-controls').hidden = presence !== 'onCall';
}

function connect() {
  state.source?.close();
  const source = new EventSource(`/api/v1/agents/${encodeURIComponent(state.agent)}/stream`);
  state.source = source;
  source.onopen = () => { document.getElementById('connection').textContent = 'live'; };
  source.onmessage = message => {
    const event = JSON.parse(message.data);
    state.status = event.status;
    state.screenPop = event.screenPop;
    render();
  };
  source.onerror = async () => {
    document.getElementById('connection').textContent = 'reconnecting';
    if (source.readyState !== EventSource.CLOSED) return; // the browser retries by itself
    // Refused (the session ended, or the silo answered an error): sign in again, or open a new stream shortly.
    const me = await fetch('/desk/whoami').then(r => r.ok ? r.json() : null).catch(() => null);
    if (!me) { location.href = '/wallboard/login?returnUrl=/desk/agent'; return; }
    setTimeout(connect, 2000);
  };
}

async function openOrder(submit) {
  submit.preventDefault();
  const callId = state.status?.offer?.callId || state.status?.callId;
  const subscriber = state.screenPop?.profile?.number;
  if (!subscriber) { say('The caller withheld their number: open the order from the supervisors.'); return; }
  const response = await fetch('/api/v1/work-orders', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Contact-Center': 'agent-desk' },
    body: JSON.stringify({ subscriber, category: document.getElementById('order-category').value, summary: document.getElementById('order-summary').value, callId }),
  });
  const order = await response.json().catch(() => ({}));
  say(response.ok ? `Work order ${order.id} opened, for ${order.department}.` : `No work order: ${order.detail || response.status}`);
  if (response.ok) document.getElementById('order-summary').value = '';
}

async function start() {
  const me = await fetch('/desk/whoami').then(r => r.ok ? r.json() : null);
  if (!me) { location.href = '/wallboard/login?returnUrl=/desk/agent'; return; }
  state.agent = me.name;
  document.getElementById('agent').textContent = me.name;
  const categories = await fetch('/api/v1/work-orders/categories').then(r => r.ok ? r.json() : []);
  document.getElementById('order-category').replaceChildren(...categories.map(c => el('option', { value: c.id }, `${c.name} (${c.id})`)));
  document.getElementById('login-form').addEventListener('submit', e => { e.preventDefault(); act('login', { endpoint: document.getElementById('endpoint').value }); });
  document.getElementById('ready').addEventListener('click', () => act('ready'));
  document.getElementById('not-ready').addEventListener('click', () => act('not-ready', { reason: document.getElementById('reason').value }));
  document.getElementById('log-out').addEventListener('click', () => act('logout'));
  document.getElementById('transfer').addEventListener('click', () => act('transfer', { toQueue: document.getElementById('transfer-queue').value }));
  document.getElementById('pause-recording').addEventListener('click', () => act('recording/pause'));
  document.getElementById('resume-recording').addEventListener('click', () => act('recording/resume'));
  document.getElementById('order-form').addEventListener('submit', openOrder);
  connect();
}

start();
