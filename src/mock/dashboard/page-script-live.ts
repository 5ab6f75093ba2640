/**
 * The dashboard script's state and I/O, as browser JavaScript in a string (served inline; the package has
 * no build step for a browser): calls to the control API (same-origin, JSON bodies on writes, the token as
 * a header) and the live stream, read with fetch() so that it can carry the token too.
 */
export const LIVE_SCRIPT = String.raw`
// State, calls to the control API and the live stream. Everything the page shows comes from the control
// API (/policy, /clock, /faults, /budgets) and the stream (/events); nothing is kept but in this tab.
const TOKEN_HEADER = 'x-ratelimit-control-token';
const TOKEN_KEY = 'ratelimit-contract:control-token';
const SHOW_KEYS = 24;
const MAX_KEYS = 300;
const SHOW_REQUESTS = 30;
const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  policy: null,
  clock: null,
  clockAt: 0,
  faults: [],
  keys: new Map(),
  requests: [],
  limits: { requests: 200, keys: 100, perKey: 30 },
  skipped: 0,
  hellos: 0,
  dirty: new Set(),
};

/** The token from a #token=… fragment (never sent to the server), kept for this tab, then wiped from the address. */
function readFragmentToken() {
  const match = /^#(?:.*&)?token=([^&]*)/.exec(location.hash);
  if (!match) return;
  try {
    state.token = decodeURIComponent(match[1]);
  } catch (error) {
    state.token = match[1];
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  history.replaceState(null, '', location.pathname + location.search);
}

class Refused extends Error {}

const messageOf = (data, res) => (data && (data.error || data.message)) || 'HTTP ' + res.status;

/** One call to the control API, same-origin: JSON bodies on writes, the token (if any) as a header. */
async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  if (state.token) headers[TOKEN_HEADER] = state.token;
  const init = { method, headers, cache: 'no-store', credentials: 'same-origin' };
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body || {});
  }
  const res = await fetch(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch (error) {
    data = null;
  }
  if (res.status === 403) {
    askForToken(messageOf(data, res));
    throw new Refused(messageOf(data, res));
  }
  if (!res.ok) throw new Error(messageOf(data, res));
  return data;
}

/** The page's entry for a key, made on first sight. */
function keyEntry(key) {
  let entry = state.keys.get(key);
  if (!entry) {
    entry = { key, lastSeq: 0, order: state.keys.size, counts: null, recent: [], budget: null, budgetAt: 0 };
    state.keys.set(key, entry);
  }
  return entry;
}

/** Keeps at most MAX_KEYS keys: the least recently active go first. */
function trimKeys() {
  if (state.keys.size <= MAX_KEYS) return;
  const byAge = [...state.keys.values()].sort((a, b) => a.lastSeq - b.lastSeq || b.order - a.order);
  for (const entry of byAge.slice(0, state.keys.size - MAX_KEYS)) state.keys.delete(entry.key);
}

function setClock(clock) {
  state.clock = clock;
  state.clockAt = performance.now();
}

/** Budgets as GET /budgets lists them (newest first); keys it no longer lists are read one by one. */
function setBudgets(list) {
  const listed = new Set();
  list.forEach((budget, index) => {
    const entry = keyEntry(budget.key);
    if (entry.lastSeq === 0) entry.order = index;
    setBudget(budget);
    listed.add(budget.key);
  });
  for (const entry of state.keys.values()) if (!listed.has(entry.key)) state.dirty.add(entry.key);
  trimKeys();
}

function addRecord(record) {
  state.requests.push(record);
  if (state.requests.length > state.limits.requests) state.requests.shift();
  const entry = keyEntry(record.key);
  entry.lastSeq = Math.max(entry.lastSeq, record.seq);
  entry.recent.push(record);
  if (entry.recent.length > state.limits.perKey) entry.recent.shift();
}

/** A budget as GET /budgets/<key> describes it (the stream sends the same for the keys its requests touched). */
function setBudget(budget) {
  const entry = keyEntry(budget.key);
  entry.budget = budget;
  entry.budgetAt = performance.now();
  state.dirty.delete(budget.key);
}

function setCounts(counts) {
  keyEntry(counts.key).counts = counts;
}

async function loadAll() {
  const [policy, clock, faults, budgets] = await Promise.all([call('GET', 'policy'), call('GET', 'clock'), call('GET', 'faults'), call('GET', 'budgets')]);
  state.policy = policy;
  setClock(clock);
  state.faults = faults.faults;
  setBudgets(budgets.budgets);
  drawPolicy();
  render();
}

async function reloadFaults() {
  state.faults = (await call('GET', 'faults')).faults;
  render();
}

async function reloadControlled() {
  const [clock, faults, budgets] = await Promise.all([call('GET', 'clock'), call('GET', 'faults'), call('GET', 'budgets')]);
  setClock(clock);
  state.faults = faults.faults;
  setBudgets(budgets.budgets);
  render();
}

let refreshing = false;
/**
 * Reads again the budgets on screen that the stream cannot bring: keys a reset dropped from GET /budgets, and
 * windows that ended in real time (at most SHOW_KEYS calls, four times a second at most).
 */
async function refreshDirty() {
  if (refreshing) return;
  const shown = new Set(visibleKeys().map((entry) => entry.key));
  const keys = [...state.dirty].filter((key) => shown.has(key));
  if (keys.length === 0) return;
  refreshing = true;
  for (const key of keys) state.dirty.delete(key);
  try {
    const budgets = await Promise.all(keys.map((key) => call('GET', 'budgets/' + encodeURIComponent(key))));
    for (const budget of budgets) if (state.keys.has(budget.key)) setBudget(budget);
    render();
  } catch (error) {
    for (const key of keys) state.dirty.add(key);
  } finally {
    refreshing = false;
  }
}
setInterval(refreshDirty, 250);

function onHello(hello) {
  state.limits = hello.limits || state.limits;
  state.requests = [];
  state.skipped = 0;
  for (const entry of state.keys.values()) {
    entry.recent = [];
    entry.counts = null;
  }
  for (const record of hello.requests) addRecord(record);
  for (const counts of hello.keys) setCounts(counts);
  trimKeys();
  drawBounds();
  // After a reconnect or a resync, changes may have been missed: read everything again.
  if (state.hellos++ > 0 || !state.policy) loadAll().catch(report);
  render();
}

function onUpdate(update) {
  for (const record of update.requests) addRecord(record);
  for (const counts of update.keys) setCounts(counts);
  for (const budget of update.budgets) setBudget(budget);
  state.skipped += update.skipped;
  trimKeys();
  if (update.control) reloadControlled().catch(report);
  else if (update.faults) reloadFaults().catch(report);
  render();
}

function onFrame(block) {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data += line.slice(5).replace(/^ /, '');
  }
  if (!data) return;
  const payload = JSON.parse(data);
  if (event === 'hello' || event === 'resync') onHello(payload);
  else if (event === 'update') onUpdate(payload);
}

let stream = null;
let retryMs = 1000;
/**
 * The live stream, read with fetch() rather than EventSource: EventSource cannot send a header, and in token
 * mode the token goes in x-ratelimit-control-token. The frames are ordinary text/event-stream.
 */
async function connect() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  setConnection('connecting');
  try {
    const headers = { accept: 'text/event-stream' };
    if (state.token) headers[TOKEN_HEADER] = state.token;
    const res = await fetch('events', { headers, cache: 'no-store', credentials: 'same-origin', signal: controller.signal });
    if (res.status === 403) {
      let data = null;
      try {
        data = await res.json();
      } catch (error) {}
      askForToken(messageOf(data, res));
      return;
    }
    if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
    setConnection('live');
    retryMs = 1000;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        onFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return;
  }
  if (controller.signal.aborted) return;
  setConnection('down', retryMs);
  setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, 10000);
}

async function start() {
  try {
    await loadAll();
  } catch (error) {
    if (!(error instanceof Refused)) report(error);
    if (error instanceof Refused) return;
  }
  connect();
}
`;
