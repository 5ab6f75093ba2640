/**
 * The dashboard script's drawing, as browser JavaScript in a string: text only (textContent, never HTML),
 * keyed updates so that focus stays where it is, one polite live region for actions and connection changes.
 */
// biome-ignore lint/complexity/noUselessStringRaw: raw like its siblings, so that a backslash added later reaches the browser as written
export const DRAW_SCRIPT = String.raw`
// Drawing: keyed updates, so that a button you are on keeps its place and its focus while numbers change.
const $ = (id) => document.getElementById(id);
const els = {
  summary: $('summary'), connection: $('connection'), status: $('status'),
  tokenForm: $('token-form'), tokenWhy: $('token-why'), token: $('token'), forget: $('forget-token'),
  clockMode: $('clock-mode'), clockNow: $('clock-now'), clockOffset: $('clock-offset'), toggle: $('clock-toggle'),
  filter: $('key-filter'), order: $('key-order'), keys: $('keys'), keysNote: $('keys-note'),
  requests: $('requests'), requestsNote: $('requests-note'), faults: $('faults'), faultError: $('fault-error'),
  policy: $('policy'), bounds: $('bounds'),
};
const cards = new Map();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Announces an action's result (the page's one live region: actions and connection changes only). */
function say(text, isError) {
  els.status.textContent = text;
  els.status.classList.toggle('error', Boolean(isError));
}
const report = (error) => say(error && error.message ? error.message : String(error), true);

function duration(ms) {
  if (typeof ms !== 'number') return String(ms);
  const units = [[86400000, 'day'], [3600000, 'hour'], [60000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) if (ms >= size && ms % size === 0) return ms / size + ' ' + name + (ms === size ? '' : 's');
  return ms >= 1000 ? ms / 1000 + ' s' : ms + ' ms';
}
const timeOf = (ms) => new Date(ms).toISOString().slice(11, 23);

let lastConnection = '';
function setConnection(kind, retryInMs) {
  const text = { connecting: 'Connecting…', live: 'Live', down: 'Disconnected: retrying in ' + Math.round((retryInMs || 0) / 1000) + ' s', token: 'Waiting for a control token' }[kind];
  els.connection.textContent = text;
  els.connection.className = 'conn ' + kind;
  if ((kind === 'down' && lastConnection !== 'down') || (kind === 'live' && lastConnection === 'down')) say(kind === 'live' ? 'Live again' : 'Lost the live stream; retrying', kind === 'down');
  lastConnection = kind;
}

function askForToken(why) {
  els.tokenWhy.textContent = (state.token ? 'The token was refused: ' : 'This mock requires a control token: ') + why;
  els.tokenForm.hidden = false;
  setConnection('token');
  els.token.focus();
}

function drawBounds() {
  const l = state.limits;
  els.bounds.textContent = 'the last ' + l.requests + ' requests, and the last ' + l.perKey + ' of each of the ' + l.keys + ' most recently active keys; this page lists ' + SHOW_KEYS + ' keys at once';
}

let renderQueued = false;
function render() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => {
    renderQueued = false;
    draw();
  }, 16);
}

function draw() {
  drawClock();
  drawKeys();
  drawRequests();
  drawFaults();
}

function clockNow() {
  if (!state.clock) return 0;
  return state.clock.mode === 'virtual' ? state.clock.now : state.clock.now + (performance.now() - state.clockAt);
}

function drawClock() {
  if (!state.clock) return;
  const virtual = state.clock.mode === 'virtual';
  const now = clockNow();
  els.clockMode.textContent = virtual ? 'Virtual time (frozen)' : 'Real time';
  els.clockNow.textContent = new Date(now).toISOString().replace('T', ' ').replace('Z', ' UTC');
  els.clockNow.setAttribute('datetime', new Date(now).toISOString());
  const aheadMs = now - Date.now();
  els.clockOffset.textContent = Math.abs(aheadMs) >= 1000 ? '(' + duration(Math.round(Math.abs(aheadMs) / 1000) * 1000) + (aheadMs > 0 ? ' ahead of' : ' behind') + ' real time)' : '';
  els.toggle.textContent = virtual ? 'Resume real time' : 'Freeze clock';
}

function visibleKeys() {
  const filter = els.filter.value.trim().toLowerCase();
  const entries = [...state.keys.values()].filter((entry) => !filter || entry.key.toLowerCase().includes(filter));
  const recent = (a, b) => b.lastSeq - a.lastSeq || a.order - b.order;
  entries.sort(els.order.value === 'busiest' ? (a, b) => (b.counts ? b.counts.total : 0) - (a.counts ? a.counts.total : 0) || recent(a, b) : recent);
  visibleKeys.total = entries.length;
  return entries.slice(0, SHOW_KEYS);
}

function secondsLeft(entry, limit) {
  if (typeof limit.resetSeconds !== 'number') return undefined;
  if (!state.clock || state.clock.mode === 'virtual') return limit.resetSeconds;
  return Math.max(0, Math.ceil(limit.resetSeconds - (performance.now() - entry.budgetAt) / 1000));
}

function makeCard(key) {
  // The visible words start the accessible name ("Reset key organization:org_acme"), as WCAG's label-in-name asks.
  const reset = el('button', { type: 'button' }, 'Reset key', el('span', { class: 'sr-only', text: ' ' + key }));
  reset.addEventListener('click', () => quietly(act(() => call('DELETE', 'budgets/' + encodeURIComponent(key)), 'Reset ' + key)));
  const card = {
    li: el('li', { class: 'key' }),
    limits: el('div', { class: 'limits' }),
    timeline: el('div', { class: 'timeline', role: 'img' }),
    counts: el('p', { class: 'note' }),
  };
  card.li.append(el('h3', { text: key }), card.limits, card.timeline, card.counts, reset);
  cards.set(key, card);
  return card;
}

function fillCard(card, entry) {
  const budget = entry.budget;
  // Several limits: one meter each, named; one: its numbers (a budget may list it under limits or not).
  const limits = budget ? (Array.isArray(budget.limits) && budget.limits.length > 0 ? budget.limits : [budget]) : [];
  const named = limits.length > 1;
  let spent = false;
  card.limits.replaceChildren(
    ...(limits.length === 0
      ? [el('p', { class: 'note', text: 'Reading its budget…' })]
      : limits.map((limit) => {
          const left = secondsLeft(entry, limit);
          if (left === 0 && state.clock && state.clock.mode !== 'virtual' && limit.remaining < limit.limit) state.dirty.add(entry.key);
          if (limit.remaining === 0) spent = true;
          const label = (named && limit.name ? limit.name + ': ' : '') + limit.remaining + ' of ' + limit.limit + ' left';
          return el(
            'p',
            { class: 'limit' },
            el('meter', { min: 0, max: limit.limit, value: limit.remaining, low: Math.ceil(limit.limit / 10), optimum: limit.limit, 'aria-label': 'Remaining budget of ' + entry.key + (named && limit.name ? ' (' + limit.name + ')' : '') }),
            el('span', { class: 'left', text: label }),
            el('span', { class: 'note', text: left === undefined ? '' : limit.remaining >= limit.limit ? 'full' : 'resets in ' + left + ' s' }),
          );
        })),
  );
  card.li.classList.toggle('spent', spent);
  const marks = entry.recent;
  const tally = { accepted: 0, rejected: 0, exempt: 0 };
  for (const record of marks) tally[record.outcome] += 1;
  const latest = marks[marks.length - 1];
  card.timeline.setAttribute(
    'aria-label',
    marks.length === 0
      ? 'Timeline: no requests seen yet'
      : 'Timeline of the last ' + marks.length + ' requests: ' + tally.accepted + ' accepted, ' + tally.rejected + ' rejected, ' + tally.exempt + ' exempt; latest ' + latest.status + ' ' + latest.outcome,
  );
  card.timeline.replaceChildren(
    ...marks.map((record) =>
      el('span', {
        class: 'mark ' + record.outcome + (record.scripted ? ' scripted' : ''),
        title: timeOf(record.atMs) + ' ' + record.method + ' ' + record.path + ' → ' + record.status + ' ' + record.outcome + (record.scripted ? ' (scripted)' : ''),
      }),
    ),
  );
  const c = entry.counts;
  card.counts.textContent = c ? c.total + ' seen: ' + c.accepted + ' accepted, ' + c.rejected + ' rejected, ' + c.exempt + ' exempt' : 'No requests seen while the dashboard was open';
}

function drawKeys() {
  const shown = visibleKeys();
  const total = visibleKeys.total;
  els.keysNote.textContent =
    total === 0
      ? state.keys.size === 0
        ? 'No keys yet: send a request to a limited path.'
        : 'No key matches the filter.'
      : 'Showing ' + shown.length + ' of ' + total + ' keys' + (shown.length < total ? '; filter to find the others.' : '.');
  const focusInList = els.keys.contains(document.activeElement);
  const wanted = new Set(shown.map((entry) => entry.key));
  for (const [key, card] of cards) {
    // A card you are on stays until you leave it.
    if (wanted.has(key) || (focusInList && card.li.contains(document.activeElement))) continue;
    card.li.remove();
    cards.delete(key);
  }
  for (const entry of shown) fillCard(cards.get(entry.key) || makeCard(entry.key), entry);
  // While you are in the list its order holds (moving an element drops its focus); new keys go last.
  if (focusInList) {
    for (const entry of shown) if (!cards.get(entry.key).li.isConnected) els.keys.append(cards.get(entry.key).li);
    return;
  }
  shown.forEach((entry, index) => {
    const li = cards.get(entry.key).li;
    if (els.keys.children[index] !== li) els.keys.insertBefore(li, els.keys.children[index] || null);
  });
}

let drawnSeq = -1;
function drawRequests() {
  const newest = state.requests[state.requests.length - 1];
  const seq = newest ? newest.seq : 0;
  if (seq === drawnSeq) return;
  drawnSeq = seq;
  const cell = (label, ...content) => el('td', { role: 'cell', 'data-label': label }, ...content);
  const rows = state.requests
    .slice(-SHOW_REQUESTS)
    .reverse()
    .map((r) =>
      el(
        'tr',
        { class: r.outcome, role: 'row' },
        cell('Time', el('time', { text: timeOf(r.atMs) })),
        cell('Request', el('code', { text: r.method + ' ' + r.path })),
        cell('Key', el('code', { text: r.key })),
        cell('Status', String(r.status || 'none (client left)')),
        cell('Outcome', r.outcome + (r.scripted ? ', scripted ' + r.scripted : '') + (r.remaining === undefined || r.remaining === null ? '' : ', ' + r.remaining + ' left')),
      ),
    );
  els.requests.replaceChildren(...rows);
  els.requestsNote.textContent =
    state.requests.length === 0
      ? 'No requests seen while the dashboard was open.'
      : state.skipped > 0
        ? state.skipped + ' requests came too fast to list one by one; the counts include them.'
        : '';
}

function describeStep(step) {
  const what =
    step.kind === 'rate-limited'
      ? 'rate-limited (429' + (step.retryAfterSeconds === undefined ? '' : ', retry after ' + step.retryAfterSeconds + ' s') + ')'
      : step.kind === 'pass'
        ? 'pass' + (step.latencyMs ? ' +' + step.latencyMs + ' ms' : '')
        : step.kind + ' ' + step.status;
  return what + ' ×' + step.left + ' left';
}

let drawnFaults = '';
function drawFaults() {
  const text = JSON.stringify(state.faults);
  if (text === drawnFaults) return;
  drawnFaults = text;
  els.faults.replaceChildren(
    ...(state.faults.length === 0
      ? [el('li', { class: 'note', text: 'No scripted faults: requests get the API’s own answers.' })]
      : state.faults.map((script) => el('li', {}, el('code', { text: (script.method || 'any') + ' ' + script.path }), ': ' + script.steps.map(describeStep).join(', then '))))
  );
}

`;
