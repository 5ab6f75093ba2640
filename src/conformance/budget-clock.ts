import type { ProbeRequest, ProbeResponse } from './conformance-check.js';

/**
 * The time budgets are measured on. Against a real server it is the wall clock and waiting means
 * sleeping; against the ratelimit-contract mock with `--control` it is the mock's virtual clock and
 * waiting means advancing it, so a suite that needs windows to pass takes no real time.
 */
export interface BudgetClock {
  readonly kind: 'virtual' | 'real';
  now(): number;
  /** Waits until `atMs` on this clock. Callers bound the wait by the window. */
  sleepUntil(atMs: number): Promise<void>;
  /** Added to an estimated window end before a budget counts as fresh (timer and scheduling slack). */
  readonly marginMs: number;
  /** Puts the mock's clock back in the mode it was found in. */
  restore(): Promise<void>;
}

/** The control API prefix of the mock (see src/mock/control-api.ts). */
const CONTROL = '/__ratelimit';

type Send = (request: ProbeRequest) => Promise<ProbeResponse>;

/**
 * Wall-clock time; sleeps until the clock has really passed `atMs` (timers may fire a little early).
 * `restore` (the session's end) cuts short every sleep still pending, which then rejects, so that no
 * scenario outlives its session.
 */
export function createRealClock(): BudgetClock {
  const pending = new Map<NodeJS.Timeout, (error: Error) => void>();
  let closed = false;
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error('the conformance session was closed'));
      const timer = setTimeout(() => {
        pending.delete(timer);
        resolve();
      }, ms);
      pending.set(timer, reject);
    });
  return {
    kind: 'real',
    now: () => Date.now(),
    async sleepUntil(atMs) {
      for (let left = atMs - Date.now(); left > 0; left = atMs - Date.now()) await sleep(left);
    },
    marginMs: 15,
    async restore() {
      closed = true;
      for (const [timer, reject] of pending) {
        clearTimeout(timer);
        reject(new Error('the conformance session was closed'));
      }
      pending.clear();
    },
  };
}

function readClock(response: ProbeResponse): { now: number; mode: 'virtual' | 'real' } | undefined {
  if (response.status !== 200 || !/json/i.test(response.headers['content-type'] ?? '')) return undefined;
  try {
    const body = JSON.parse(response.text) as { now?: unknown; mode?: unknown };
    if (typeof body.now === 'number' && (body.mode === 'virtual' || body.mode === 'real')) return { now: body.now, mode: body.mode };
  } catch {
    // Not the mock's control API: a real server answered this path.
  }
  return undefined;
}

/** The mock's virtual clock: frozen, and moved forward through POST /__ratelimit/clock/advance. */
async function createVirtualClock(send: Send, headers: Record<string, string>, foundMode: 'virtual' | 'real'): Promise<BudgetClock | undefined> {
  const json = { ...headers, 'content-type': 'application/json' };
  const frozen = readClock(await send({ method: 'POST', path: `${CONTROL}/clock`, headers: json, body: '{"mode":"virtual"}' }));
  if (!frozen) return undefined;
  const reset = await send({ method: 'DELETE', path: `${CONTROL}/budgets`, headers });
  if (reset.status !== 200) return undefined;
  let nowMs = frozen.now;
  return {
    kind: 'virtual',
    now: () => nowMs,
    async sleepUntil(atMs) {
      if (atMs <= nowMs) return;
      const moved = readClock(
        await send({ method: 'POST', path: `${CONTROL}/clock/advance`, headers: json, body: JSON.stringify({ ms: Math.ceil(atMs - nowMs) }) }),
      );
      if (!moved) throw new Error('Failed to advance the mock clock: POST /__ratelimit/clock/advance did not answer {"now","mode"}.');
      nowMs = moved.now;
    },
    marginMs: 0,
    async restore() {
      if (foundMode === 'real') await send({ method: 'POST', path: `${CONTROL}/clock`, headers: json, body: '{"mode":"real"}' });
    },
  };
}

export interface ClockDetection {
  clock: BudgetClock;
  /** The detection request and its response (it may have spent budget on a real server). */
  request: ProbeRequest;
  response: ProbeResponse;
  sentAtMs: number;
  receivedAtMs: number;
}

/**
 * Sends GET /__ratelimit/clock once (which doubles as the reachability check). When the target is the
 * mock with its control API on, returns its virtual clock (budgets reset, clock frozen); otherwise the
 * real clock. `prefer: 'real'` keeps real time even against the mock.
 */
export async function detectBudgetClock(
  send: Send,
  options: { prefer?: 'auto' | 'real'; controlToken?: string; localAddress?: string } = {},
): Promise<ClockDetection> {
  const headers: Record<string, string> = options.controlToken ? { 'x-ratelimit-control-token': options.controlToken } : {};
  const request: ProbeRequest = { method: 'GET', path: `${CONTROL}/clock`, headers, localAddress: options.localAddress };
  const sentAtMs = Date.now();
  const response = await send(request);
  const receivedAtMs = Date.now();
  const found = readClock(response);
  const virtual = found && options.prefer !== 'real' ? await createVirtualClock(send, headers, found.mode) : undefined;
  return { clock: virtual ?? createRealClock(), request, response, sentAtMs, receivedAtMs };
}
