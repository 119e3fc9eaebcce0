// The supervisors' wallboard: renders the frames the silo pushes once a second (server-sent events).
// Everything is built with DOM calls and textContent, never from HTML strings, so no id or name can inject markup.
'use strict';

// moveTargets: the queue chosen in each waiting call's "move to" list, kept across the re-renders of every frame.
const state = { frame: null, serverOffsetMs: 0, selectedQueue: null, queueDetail: null, agentFilter: '', moveTargets: {}, source: null, trend: null };

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

const percent = v => v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`;
// A threshold scaled for a time-compressed run (66.666... s) reads as the whole seconds it rounds to.
const wholeSeconds = v => Math.round(v);
function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0'), ss = String(r).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
// The board's names of the agent states come with each frame (one list, the silo's, which its filter matches too).
const stateName = presence => state.frame?.stateNames?.[presence] || presence;
const agentsLine = a => `${a.available} available · ${a.reserved} ringing · ${a.onCall} on call · ${a.wrapUp} wrap-up · ${a.notReady} not ready`;

function kpi(name, value, sub) {
  return el('div', { class: 'kpi', 'data-kpi': name },
    el('div', { class: 'label' }, name.replace(/-/g, ' ')), el('div', { class: 'value' }, value), sub ? el('div', { class: 'sub' }, sub) : null);
}

function summary(tile) {
  const last = tile.last15Minutes, today = tile.today;
  return [
    kpi('waiting', tile.waiting),
    kpi('longest-wait', duration(tile.longestWaitSeconds)),
    kpi('service-level', percent(last.serviceLevel), `today ${percent(today.serviceLevel)}`),
    kpi('offered', last.offered, `today ${today.offered}`),
    kpi('answered', last.answered, `today ${today.answered}`),
    kpi('abandoned', last.abandoned, `today ${today.abandoned} (+${today.shortAbandoned} short)`),
    kpi('abandon-rate', percent(last.abandonRate), `today ${percent(today.abandonRate)}`),
    kpi('answer-rate', percent(last.answerRate), `today ${percent(today.answerRate)}`),
    kpi('asa', duration(last.averageSpeedOfAnswerSeconds), `today ${duration(today.averageSpeedOfAnswerSeconds)}`),
    kpi('aht', duration(last.averageHandleTimeSeconds), `today ${duration(today.averageHandleTimeSeconds)}`),
    kpi('occupancy', percent(last.occupancy), `today ${percent(today.occupancy)}`),
    kpi('agents', tile.agents.available + tile.agents.reserved + tile.agents.onCall + tile.agents.wrapUp + tile.agents.notReady, agentsLine(tile.agents)),
  ];
}

/**
 * The last hour as a small chart (a point a minute, from /api/v1/wallboard/trend): the service level as a line
 * over 0-100%, the waiting calls as bars scaled to the hour's most. Drawn as SVG: no charting library to load.
 */
function trendChart(points, label) {
  const svg = 'http://www.w3.org/2000/svg', width = 120, height = 28;
  const chart = document.createElementNS(svg, 'svg');
  chart.setAttribute('class', 'trend');
  chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `${label}: the last hour`);
  if (!points || points.length === 0) return chart;
  const step = width / Math.max(1, 59), most = Math.max(1, ...points.map(p => p.waiting));
  const start = 60 - points.length;
  points.forEach((p, i) => {
    const bar = document.createElementNS(svg, 'rect');
    const h = (p.waiting / most) * (height - 2);
    bar.setAttribute('x', ((start + i) * step).toFixed(1)); bar.setAttribute('width', Math.max(1, step - 0.5).toFixed(1));
    bar.setAttribute('y', (height - h).toFixed(1)); bar.setAttribute('height', h.toFixed(1));
    bar.setAttribute('class', 'waiting-bar');
    chart.appendChild(bar);
  });
  const levels = points.map((p, i) => p.serviceLevel === null || p.serviceLevel === undefined ? null
    : `${((start + i) * step).toFixed(1)},${(height - 1 - p.serviceLevel * (height - 2)).toFixed(1)}`).filter(Boolean);
  if (levels.length > 0) {
    const line = document.createElementNS(svg, 'polyline');
    line.setAttribute('points', levels.join(' '));
    line.setAttribute('class', 'service-level-line');
    chart.appendChild(line);
  }
  return chart;
}

async function refreshTrend() {
  const response = await fetch('/api/v1/wallboard/trend', { credentials: 'same-origin' });
  if (response.ok) {
    state.trend = await response.json();
    if (state.frame) render(state.frame);
  }
}

function queueTile(queue, alerts) {
  const tile = queue.tile, last = tile.last15Minutes;
  const level = alerts.some(a => a.queueId === queue.queueId && a.kind === 'serviceLevel') ? 'bad'
    : alerts.some(a => a.queueId === queue.queueId) ? 'warn' : '';
  const where = queue.activeInRegion && queue.activeInRegion !== queue.region ? `${queue.region}, running in ${queue.activeInRegion}` : queue.region;
  return el('article', { class: `tile ${level}`, 'data-queue': queue.queueId, onclick: () => openQueue(queue.queueId) },
    el('h3', {}, tile.name), el('div', { class: 'where' }, `${queue.queueId} · ${where}`),
    el('div', { class: 'numbers' },
      el('div', { class: 'waiting' }, el('b', {}, tile.waiting), el('span', {}, 'waiting')),
      el('div', { class: 'longest-wait' }, el('b', {}, duration(tile.longestWaitSeconds)), el('span', {}, 'longest wait')),
      el('div', { class: 'service-level' }, el('b', {}, percent(last.serviceLevel)), el('span', {}, `SL ${percent(queue.serviceLevelTarget)}/${wholeSeconds(queue.serviceLevelThresholdSeconds)}s`))),
    el('div', { class: 'agents' }, agentsLine(tile.agents)),
    trendChart(state.trend?.queues?.[queue.queueId], tile.name));
}

function secondsInState(agent) {
  return (Date.now() + state.serverOffsetMs - Date.parse(agent.since)) / 1000;
}

async function act(url, body, what) {
  const result = document.getElementById('action-result');
  try {
    const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-Contact-Center': 'wallboard' }, body: JSON.stringify(body || {}) });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      result.textContent = `${what}: refused (${response.status}) ${problem.detail || problem.title || ''}`;
      return;
    }
    result.textContent = `${what}: done`;
  } catch (error) {
    result.textContent = `${what}: ${error.message}`;
  }
}

/** Monitor, whisper or barge: the call is the one the agent is on now, read when the button is pressed. */
async function joinCall(agent, mode) {
  const endpoint = document.getElementById('supervisor-endpoint').value.trim();
  if (!endpoint) {
    document.getElementById('action-result').textContent = `${mode}: enter your phone (a SIP URI or extension) first`;
    return;
  }
  localStorage.setItem('supervisorEndpoint', endpoint);
  const response = await fetch(`/api/v1/agents/${encodeURIComponent(agent.agentId)}`, { credentials: 'same-origin' });
  const status = response.ok ? await response.json() : null;
  if (!status?.callId) {
    document.getElementById('action-result').textContent = `${mode}: ${agent.agentId} is not on a call`;
    return;
  }
  await act(`/api/v1/supervisor/calls/${encodeURIComponent(status.callId)}/${mode}`, { endpoint }, `${mode} ${status.callId}`);
}

function agentActions(agent) {
  const id = encodeURIComponent(agent.agentId);
  const actions = [];
  if (agent.presence === 'onCall') {
    for (const mode of ['monitor', 'whisper', 'barge']) {
      actions.push(el('button', { type: 'button', class: mode, onclick: () => joinCall(agent, mode) }, mode[0].toUpperCase() + mode.slice(1)));
    }
  }
  if (agent.presence !== 'notReady' && agent.presence !== 'onCall') {
    actions.push(el('button', { type: 'button', class: 'force-not-ready', onclick: () => act(`/api/v1/supervisor/agents/${id}/not-ready`, { reason: 'supervisor' }, `${agent.agentId} not ready`) }, 'Not ready'));
  }
  if (agent.presence !== 'onCall') {
    actions.push(el('button', { type: 'button', class: 'force-logout', onclick: () => act(`/api/v1/supervisor/agents/${id}/logout`, {}, `${agent.agentId} logged out`) }, 'Log out'));
  }
  return actions;
}

/** The silo sends only the agents the filter matches, the first of them by id: the page says what it leaves out. */
function renderAgents() {
  const body = document.querySelector('#agents tbody');
  const frame = state.frame;
  const rows = frame?.agents || [];
  const shown = !frame ? '' : frame.agentsMatching > rows.length
    ? `showing ${rows.length} of ${frame.agentsMatching} matching (${frame.agentCount} agents); narrow the filter to see the rest`
    : `${frame.agentsMatching} of ${frame.agentCount} agents`;
  document.getElementById('agent-count').textContent = shown;
  body.replaceChildren(...rows.map(a => el('tr', { 'data-agent': a.agentId },
    el('td', {}, a.agentId), el('td', {}, a.region),
    el('td', { class: `state state-${a.presence}` }, stateName(a.presence)),
    el('td', { class: 'time-in-state' }, duration(secondsInState(a))),
    el('td', {}, a.handledToday), el('td', {}, duration(a.averageHandleTimeTodaySeconds)), el('td', {}, percent(a.occupancyToday)),
    el('td', {}, agentActions(a)))));
}

/** A gateway that polls is alive; one silent for the lost time takes no connect, and its calls end after the grace. */
function renderGateways() {
  const body = document.querySelector('#gateways tbody');
  body.replaceChildren(...(state.frame?.gateways || []).map(g => el('tr', { 'data-gateway': g.gatewayId, class: g.lost ? 'gateway-lost' : '' },
    el('td', {}, g.gatewayId),
    el('td', { class: 'health' }, g.lost ? 'Lost' : 'Alive'),
    el('td', { class: 'last-poll' }, g.secondsSinceLastPoll === null || g.secondsSinceLastPoll === undefined ? 'never' : `${duration(g.secondsSinceLastPoll)} ago`),
    el('td', { class: 'open-commands' }, g.openCommands))));
}

/** Today's survey figures: the center's row, then each queue's. */
function renderSatisfaction() {
  const tile = state.frame?.satisfaction;
  const row = (name, key, v) => el('tr', { 'data-satisfaction': key },
    el('td', {}, name), el('td', {}, v.sent), el('td', {}, v.answered), el('td', { class: 'csat' }, percent(v.csat)),
    el('td', {}, percent(v.responseRate)), el('td', {}, v.lowScores), el('td', {}, v.optedOut));
  const queues = state.frame?.queues || [];
  document.querySelector('#satisfaction tbody').replaceChildren(...(tile ? [
    row('Center', 'center', tile.center),
    ...Object.entries(tile.queues).map(([id, v]) => row(queues.find(q => q.queueId === id)?.tile.name || id, id, v)),
  ] : []));
}

/** The work orders: the center's row, then each department's, the late ones marked. */
function renderComplaints() {
  const figures = state.frame?.complaints;
  const row = (name, key, c) => el('tr', { 'data-complaints': key, class: c.problem > 0 ? 'late-problem' : c.overdue > 0 ? 'late-overdue' : '' },
    el('td', {}, name), el('td', { class: 'open' }, c.open), el('td', { class: 'overdue' }, c.overdue), el('td', { class: 'problem' }, c.problem),
    el('td', {}, c.opened), el('td', { class: 'timeliness' }, percent(c.timeliness)));
  document.querySelector('#complaints tbody').replaceChildren(...(figures ? [
    row('Center', 'center', figures.center),
    ...figures.byDepartment.map(d => row(d.department, d.department, d)),
  ] : []));
}

function renderDrilldown() {
  const section = document.getElementById('drilldown');
  const queue = state.frame?.queues.find(q => q.queueId === state.selectedQueue);
  if (!queue) { section.hidden = true; return; }
  section.hidden = false;
  document.getElementById('drilldown-title').textContent = `${queue.tile.name} (${queue.queueId})`;
  document.getElementById('drilldown-kpis').replaceChildren(...summary(queue.tile));
  const others = state.frame.queues.filter(q => q.queueId !== queue.queueId);
  const calls = state.queueDetail?.queueId === queue.queueId ? state.queueDetail.waiting : [];
  document.querySelector('#waiting-calls tbody').replaceChildren(...calls.map(call => {
    const base = `/api/v1/supervisor/queues/${encodeURIComponent(queue.queueId)}/calls/${encodeURIComponent(call.callId)}`;
    const target = el('select', { class: 'move-target', onchange: event => { state.moveTargets[call.callId] = event.target.value; } },
      others.map(q => el('option', { value: q.queueId }, q.tile.name)));
    if (others.some(q => q.queueId === state.moveTargets[call.callId])) target.value = state.moveTargets[call.callId];
    return el('tr', { 'data-call': call.callId },
      el('td', {}, call.callId),
      el('td', {}, duration((Date.now() + state.serverOffsetMs - Date.parse(call.waitingSince)) / 1000)),
      el('td', {}, call.priority), el('td', {}, call.vip ? 'VIP' : ''), el('td', {}, call.offeredTo || ''),
      el('td', {},
        el('button', { type: 'button', class: 'raise-priority', onclick: () => act(`${base}/priority`, { priority: Math.min(9, call.priority + 1) }, `${call.callId} priority`) }, 'Priority +1'),
        others.length ? [target, el('button', { type: 'button', class: 'move', onclick: () => act(`${base}/move`, { toQueue: target.value }, `${call.callId} moved`) }, 'Move')] : null));
  }));
}

async function openQueue(queueId) {
  state.selectedQueue = queueId;
  await refreshQueueDetail();
  renderDrilldown();
  document.getElementById('drilldown').scrollIntoView({ behavior: 'smooth' });
}

async function refreshQueueDetail() {
  if (!state.selectedQueue) return;
  const response = await fetch(`/api/v1/queues/${encodeURIComponent(state.selectedQueue)}`, { credentials: 'same-origin' });
  if (response.ok) state.queueDetail = await response.json();
}

function render(frame) {
  state.frame = frame;
  state.serverOffsetMs = Date.parse(frame.at) - Date.now();
  setReportLink(frame);
  document.getElementById('updated').textContent = `updated ${new Date(frame.at).toLocaleTimeString()}`;
  document.getElementById('alerts').replaceChildren(...frame.alerts.map(a =>
    el('div', { class: 'alert', 'data-alert': a.kind, 'data-queue': a.queueId }, a.message)));
  document.getElementById('center').replaceChildren(...summary(frame.center), trendChart(state.trend?.center, 'center'));
  document.getElementById('regions').replaceChildren(...frame.regions.map(r =>
    el('article', { class: 'region', 'data-region': r.name }, el('h3', {}, r.name), el('div', { class: 'summary' }, summary(r)))));
  document.getElementById('queues').replaceChildren(...frame.queues.map(q => queueTile(q, frame.alerts)));
  renderSatisfaction();
  renderComplaints();
  renderGateways();
  renderAgents();
}

/** The stream of frames for the page's agent filter; a new filter opens a new stream (and closes the old one). */
function connect() {
  const status = document.getElementById('connection');
  state.source?.close();
  const query = state.agentFilter.trim() ? `?agents=${encodeURIComponent(state.agentFilter.trim())}` : '';
  const source = new EventSource(`/api/v1/wallboard/stream${query}`);
  state.source = source;
  source.onopen = () => { status.textContent = 'live'; status.className = 'connection live'; };
  source.onmessage = event => {
    const first = state.frame === null;
    render(JSON.parse(event.data));
    if (first) refreshTrend(); // the first frame is the trend's first point on a silo nobody watched
    refreshQueueDetail().then(renderDrilldown);
  };
  source.onerror = () => {
    // EventSource reconnects by itself (the stream asks for a 2 s retry); a signed-out session comes back 401.
    status.textContent = 'reconnecting'; status.className = 'connection lost';
  };
}

/** Today's report by queue and hour: "today" is the center's local day, which the frame carries. */
function setReportLink(frame) {
  const next = new Date(Date.parse(`${frame.day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
  document.getElementById('report-link').href = `/api/v1/reports/kpis?by=queue&interval=hour&format=csv&from=${frame.day}&to=${next}`;
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('supervisor-endpoint').value = localStorage.getItem('supervisorEndpoint') || '';
  document.getElementById('drilldown-close').addEventListener('click', () => { state.selectedQueue = null; renderDrilldown(); });
  let typing;
  document.getElementById('agent-filter').addEventListener('input', event => {
    state.agentFilter = event.target.value;
    clearTimeout(typing);
    typing = setTimeout(connect, 300); // one new stream when the typing pauses, not one per key
  });
  // The trend gains a point a minute.
  setInterval(refreshTrend, 60000);
  // Time in state ticks between frames too.
  setInterval(() => document.querySelectorAll('#agents tbody tr').forEach((row, i) => {
    const agent = state.frame?.agents.find(a => a.agentId === row.dataset.agent);
    if (agent) row.querySelector('.time-in-state').textContent = duration(secondsInState(agent));
  }), 1000);
  connect();
});
