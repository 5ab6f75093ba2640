/** The dashboard script's controls (clock, budgets, faults, token), as browser JavaScript in a string; it starts the page. */
export const ACTIONS_SCRIPT = String.raw`
/** Runs a control action, says how it went, and reads the state it changed. */
async function act(action, done) {
  try {
    await action();
    say(done);
    await reloadControlled();
  } catch (error) {
    if (!(error instanceof Refused)) report(error);
    throw error;
  }
}
const quietly = (promise) => promise.catch(() => {});

$('advance-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const by = $('advance-by').value.trim();
  quietly(act(() => call('POST', 'clock/advance', /^\d+$/.test(by) ? { ms: Number(by) } : { by }), 'Clock advanced by ' + by));
});
els.toggle.addEventListener('click', () => {
  const mode = state.clock && state.clock.mode === 'virtual' ? 'real' : 'virtual';
  quietly(act(() => call('POST', 'clock', { mode }), mode === 'virtual' ? 'Clock frozen' : 'Clock back on real time'));
});
$('reset-all').addEventListener('click', () => quietly(act(() => call('DELETE', 'budgets'), 'Every budget reset')));
$('clear-faults').addEventListener('click', () => quietly(act(() => call('DELETE', 'faults'), 'Faults cleared')));

const faultKind = $('fault-kind');
function showFaultFields() {
  for (const field of document.querySelectorAll('#fault-form [data-for]')) field.hidden = !field.getAttribute('data-for').split(' ').includes(faultKind.value);
}
faultKind.addEventListener('change', showFaultFields);
showFaultFields();
$('fault-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const kind = faultKind.value;
  const body = { kind, times: Number($('fault-times').value) };
  const method = $('fault-method').value;
  const path = $('fault-path').value.trim();
  if (method) body.method = method;
  if (path) body.path = path;
  const retry = $('fault-retry').value;
  if (kind === 'rate-limited' && retry !== '') body.retryAfterSeconds = Number(retry);
  if (kind === 'server-error' || kind === 'reply') body.status = Number($('fault-status').value);
  if (kind === 'pass') body.latencyMs = Number($('fault-latency').value);
  els.faultError.textContent = '';
  act(() => call('POST', 'faults', body), 'Fault added: ' + kind + ' ×' + body.times + ' on ' + (method || 'any') + ' ' + (path || '/**')).catch((error) => {
    if (!(error instanceof Refused)) els.faultError.textContent = error.message;
  });
});

els.filter.addEventListener('input', render);
els.order.addEventListener('change', render);
els.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = els.token.value.trim();
  sessionStorage.setItem(TOKEN_KEY, state.token);
  els.token.value = '';
  els.tokenForm.hidden = true;
  els.forget.hidden = false;
  say('Using the token');
  start();
});
els.forget.addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = '';
  els.forget.hidden = true;
  say('Token forgotten');
  start();
});
setInterval(() => {
  if (state.clock && state.clock.mode !== 'virtual') render();
}, 1000);

readFragmentToken();
els.forget.hidden = !state.token;
start();
`;
