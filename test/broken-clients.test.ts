import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createRecordingFetch, findRetryViolations, type RetryCheckId, type RetryRulesInput, retryRulesFor } from '../src/client/index.js';
import { mockRateLimitedApi, passThrough, type RateLimitedApi, rateLimited, replyWith, serverError } from '../src/nock/index.js';
import { AUTH, RECON, useNockedProfiles } from './support/nocked-profiles.js';
import { seededRandom } from './support/seeded-random.js';

// The corpus of broken clients: each is a small runnable client with one defect, written as people write
// them, run against the nock helper on fake timers as the README examples do. Each must fail with the
// check that names its defect, and with nothing unrelated (the exact set is asserted).

const ACME = { authorization: 'Bearer rl_test_acme_primary', 'content-type': 'application/json' };
const ALPHA = { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' };
const INTENTS = `${RECON}/v1/payment-intents`;
const SESSION = `${AUTH}/v1/api/identity/sessions/ses_1`;
const SMALL = 'https://small.reconlayer.test';
const BODY = JSON.stringify({ amount: 1000, currency: 'usd' });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const retryAfterSecondsOf = (res: Response) => Number(res.headers.get('retry-after') ?? '1');

const nocked = useNockedProfiles();
let small: RateLimitedApi;
beforeAll(async () => {
  small = await mockRateLimitedApi({ profile: 'reconlayer', baseUrl: SMALL, limit: 5 });
});
afterAll(async () => {
  await small.restore();
});

/** Authmatech's documented wait before retry n, with ±100 ms of (seeded) jitter. */
function docWait(random: () => number) {
  return (retry: number) => Math.min(60_000, 1000 * 2 ** (retry - 1)) + Math.floor(random() * 200) - 100;
}

/** A loop that retries `shouldRetry` answers up to `tries` times, waiting `wait(retry, res)` between. */
async function retryLoop(
  send: () => Promise<Response>,
  tries: number,
  wait: (retry: number, res: Response) => number,
  shouldRetry = (s: number) => s === 429 || s >= 500,
) {
  for (let attempt = 1; ; attempt += 1) {
    const res = await send();
    if (!shouldRetry(res.status) || attempt >= tries) return res;
    await res.arrayBuffer();
    await sleep(wait(attempt, res));
  }
}

interface BrokenClient {
  defect: string;
  profile: 'reconlayer' | 'authmatech';
  /** The exact set of checks it fails; the first is the one that names its defect. */
  fails: [RetryCheckId, ...RetryCheckId[]];
  setup: () => Promise<unknown> | unknown;
  run: () => Promise<unknown>;
  rules?: RetryRulesInput;
  api?: () => RateLimitedApi;
}

const auth = () => nocked.auth;
const recon = () => nocked.recon;
const get = (url: string, headers: Record<string, string>) => () => fetch(url, { headers });

const BROKEN: BrokenClient[] = [
  {
    defect: 'ignores retry-after: retries after a fixed second',
    profile: 'reconlayer',
    fails: ['retry-before-retry-after'],
    setup: () => recon().exhaust(ACME),
    run: () => retryLoop(get(INTENTS, ACME), 3, () => 1000),
  },
  {
    defect: 'reads retry-after as milliseconds',
    profile: 'reconlayer',
    fails: ['retry-before-retry-after'],
    setup: () => recon().exhaust(ACME),
    run: () => retryLoop(get(INTENTS, ACME), 3, (_n, res) => retryAfterSecondsOf(res)),
  },
  {
    defect: 'caps retry-after at 30 s (undici’s default maxTimeout)',
    profile: 'reconlayer',
    fails: ['retry-before-retry-after'],
    setup: () => recon().exhaust(ACME),
    run: () => retryLoop(get(INTENTS, ACME), 4, (_n, res) => Math.min(30_000, retryAfterSecondsOf(res) * 1000)),
  },
  {
    defect: 'retries at once, without waiting',
    profile: 'authmatech',
    fails: ['backoff-too-fast'],
    setup: () => auth().script('*', [rateLimited(3), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, () => 0),
  },
  {
    defect: 'waits a fixed second between retries',
    profile: 'authmatech',
    fails: ['backoff-too-fast'],
    setup: () => auth().script('*', [rateLimited(3), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, () => 1000),
  },
  {
    defect: 'backs off linearly (1 s, 2 s, 3 s, 4 s)',
    profile: 'authmatech',
    fails: ['backoff-too-fast'],
    setup: () => auth().script('*', [rateLimited(4), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, (n) => 1000 * n),
  },
  {
    defect: 'jitters ±400 ms instead of ±100 ms',
    profile: 'authmatech',
    fails: ['backoff-too-fast', 'backoff-too-slow'],
    setup: () => auth().script('*', [rateLimited(3), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, (n) => 1000 * 2 ** (n - 1) + (n % 2 === 1 ? 400 : -400)),
  },
  {
    defect: 'exponent off by one: waits 2 s, 4 s, 8 s (too slow)',
    profile: 'authmatech',
    fails: ['backoff-too-slow'],
    setup: () => auth().script('*', [rateLimited(3), passThrough()]),
    run: () => {
      const jitter = docWait(seededRandom(7));
      return retryLoop(get(SESSION, ALPHA), 5, (n) => jitter(n + 1));
    },
  },
  {
    defect: 'never caps the wait at 60 s (a long enough log shows it)',
    profile: 'authmatech',
    fails: ['backoff-uncapped'],
    rules: retryRulesFor('authmatech', { maxAttempts: 10 }),
    setup: () => auth().script('*', [rateLimited(8), passThrough()]),
    run: () => {
      const random = seededRandom(3);
      return retryLoop(get(SESSION, ALPHA), 10, (n) => 1000 * 2 ** (n - 1) + Math.floor(random() * 200) - 100);
    },
  },
  {
    defect: 'never caps the wait, with the doc’s attempt cap',
    profile: 'authmatech',
    fails: ['attempts-over-cap', 'backoff-uncapped'],
    setup: () => auth().script('*', [rateLimited(8), passThrough()]),
    run: () => {
      const random = seededRandom(3);
      return retryLoop(get(SESSION, ALPHA), 10, (n) => 1000 * 2 ** (n - 1) + Math.floor(random() * 200) - 100);
    },
  },
  {
    defect: 'no attempt cap: tries 8 times on the doc’s schedule',
    profile: 'authmatech',
    fails: ['attempts-over-cap'],
    setup: () => auth().script('*', [rateLimited(7), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 8, docWait(seededRandom(11))),
  },
  {
    defect: 'attempt cap off by one: 5 retries, so 6 tries',
    profile: 'authmatech',
    fails: ['attempts-over-cap'],
    setup: () => auth().exhaust(ALPHA),
    run: () => retryLoop(get(SESSION, ALPHA), 6, docWait(seededRandom(5))),
  },
  {
    defect: 'no jitter: waits exactly 1000, 2000, 4000 ms',
    profile: 'authmatech',
    fails: ['no-jitter'],
    setup: () => auth().script('*', [rateLimited(3), passThrough()]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, (n) => 1000 * 2 ** (n - 1)),
  },
  {
    defect: 'retries a POST without an Idempotency-Key',
    profile: 'reconlayer',
    fails: ['non-idempotent-retry-without-key'],
    setup: () => recon().script('POST /v1/payment-intents', [serverError(1)]),
    run: () =>
      retryLoop(
        () => fetch(INTENTS, { method: 'POST', headers: ACME, body: BODY }),
        3,
        () => 2000,
      ),
  },
  {
    defect: 'makes a new Idempotency-Key for every attempt',
    profile: 'reconlayer',
    fails: ['idempotency-key-changed'],
    setup: () => recon().script('POST /v1/payment-intents', [rateLimited(1, { retryAfterSeconds: 2 })]),
    run: () =>
      retryLoop(
        () => fetch(INTENTS, { method: 'POST', headers: { ...ACME, 'idempotency-key': randomUUID() }, body: BODY }),
        3,
        (_n, res) => retryAfterSecondsOf(res) * 1000,
      ),
  },
  {
    defect: 're-serializes the body (with a timestamp) on every attempt',
    profile: 'reconlayer',
    fails: ['retry-body-changed'],
    setup: () => recon().script('POST /v1/payment-intents', [rateLimited(1, { retryAfterSeconds: 2 })]),
    run: () =>
      retryLoop(
        () => fetch(INTENTS, { method: 'POST', headers: { ...ACME, 'idempotency-key': 'idem-1' }, body: JSON.stringify({ amount: 1000, sentAt: Date.now() }) }),
        3,
        (_n, res) => retryAfterSecondsOf(res) * 1000,
      ),
  },
  {
    defect: 'keeps paginating every 100 ms after a 429',
    profile: 'reconlayer',
    fails: ['hammering-after-429', '429-not-retried'],
    setup: () => recon().script('*', [rateLimited(1, { retryAfterSeconds: 10 })]),
    run: async () => {
      for (let page = 0; page < 5; page += 1) {
        await (await fetch(`${INTENTS}?offset=${page * 25}`, { headers: ACME })).arrayBuffer();
        await sleep(100);
      }
    },
  },
  {
    defect: 'keeps paginating after a 429, with no pause at all (every request in one virtual millisecond)',
    profile: 'reconlayer',
    fails: ['hammering-after-429', '429-not-retried'],
    setup: () => recon().script('*', [rateLimited(1, { retryAfterSeconds: 10 })]),
    run: async () => {
      for (let page = 0; page < 5; page += 1) await (await fetch(`${INTENTS}?offset=${page * 25}`, { headers: ACME })).arrayBuffer();
    },
  },
  ...([400, 401, 404] as const).map(
    (status): BrokenClient => ({
      defect: `retries a ${status} as if it were a 429`,
      profile: 'authmatech',
      fails: ['retried-non-retryable'],
      setup: () => (status === 400 ? auth().script('*', [replyWith(400, { success: false }, {}, 3)]) : undefined),
      run: () => {
        const url = status === 404 ? `${AUTH}/v1/api/no-such-thing` : SESSION;
        const headers = status === 401 ? { 'x-client-id': 'client_alpha', 'x-api-key': 'wrong' } : ALPHA;
        return retryLoop(get(url, headers), 3, docWait(seededRandom(status)), (s) => s >= 400);
      },
    }),
  ),
  {
    defect: 'never retries a 429 (Authmatech)',
    profile: 'authmatech',
    fails: ['429-not-retried'],
    setup: () => auth().script('*', [rateLimited(1)]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, docWait(Math.random), (s) => s >= 500),
  },
  {
    defect: 'never retries a 429 (ReconLayer)',
    profile: 'reconlayer',
    fails: ['429-not-retried'],
    setup: () => recon().exhaust(ACME),
    run: () => fetch(INTENTS, { headers: ACME }),
  },
  {
    defect: 'does not retry a 500, which Authmatech says to retry',
    profile: 'authmatech',
    fails: ['5xx-not-retried'],
    setup: () => auth().script('*', [serverError(1)]),
    run: () => retryLoop(get(SESSION, ALPHA), 5, docWait(Math.random), (s) => s === 429),
  },
  {
    defect: 'no pacing: spends x-ratelimit-remaining to 0, then takes a 429 (pages processed for 20 ms each)',
    profile: 'reconlayer',
    fails: ['no-pacing'],
    api: () => small,
    setup: () => small.reset(),
    run: async () => {
      for (let page = 0; page < 8; page += 1) {
        const res = await retryLoop(get(`${SMALL}/v1/payment-intents?offset=${page * 25}`, ACME), 3, (_n, r) => retryAfterSecondsOf(r) * 1000 + 50);
        await res.arrayBuffer();
        await sleep(20);
      }
    },
  },
  {
    defect: 'no pacing, back to back: spends x-ratelimit-remaining to 0 with no pause between pages, then takes a 429',
    profile: 'reconlayer',
    fails: ['no-pacing'],
    api: () => small,
    setup: () => small.reset(),
    run: async () => {
      for (let page = 0; page < 8; page += 1) {
        const res = await retryLoop(get(`${SMALL}/v1/payment-intents?offset=${page * 25}`, ACME), 3, (_n, r) => retryAfterSecondsOf(r) * 1000 + 50);
        await res.arrayBuffer();
      }
    },
  },
];

describe('every broken client fails with the check that names its defect', () => {
  test.each(BROKEN)('$defect → $fails', async ({ profile, fails, setup, run, rules, api }) => {
    const target = api?.() ?? (profile === 'reconlayer' ? nocked.recon : nocked.auth);
    await setup();
    await target.settle(run(), vi);
    const found = findRetryViolations(target.attempts, rules ?? profile);
    expect([...new Set(found.map((v) => v.check))].sort()).toEqual([...fails].sort());
    for (const v of found) {
      expect(v.message).toMatch(/#\d+/);
      expect(v.fix.length).toBeGreaterThan(20);
      expect(v.clause).not.toBe('');
    }
  });

  test('the corpus covers every check id', async () => {
    const { RETRY_CHECKS } = await import('../src/client/index.js');
    expect(new Set(BROKEN.map((b) => b.fails[0]))).toEqual(new Set(RETRY_CHECKS.map((c) => c.id)));
  });
});

describe('clients that never pause: the log notes causal order, so they are judged in full', () => {
  // On fake timers a mocked answer takes 0 ms, so a loop that sends page after page with no pause has
  // every attempt at one millisecond, as a fan-out does. The order counter tells them apart: each page
  // here was sent after the answer before it arrived.
  const bulk = (send: typeof fetch) => async () => {
    for (let page = 0; page < 8; page += 1) {
      const res = await retryLoop(
        () => send(`${SMALL}/v1/payment-intents?offset=${page * 25}`, { headers: ACME }),
        3,
        (_n, r) => retryAfterSecondsOf(r) * 1000 + 50,
      );
      await res.arrayBuffer();
    }
  };

  test('the nock log: a back-to-back loop that spends the budget into a 429 is caught (no-pacing)', async () => {
    await small.reset();
    await small.settle(bulk(fetch)(), vi);
    const [first] = small.attempts;
    expect(small.attempts.every((a) => a.atMs === first?.atMs || a.status !== 429)).toBe(true);
    expect(small.attempts.every((a, i) => i === 0 || (a.sentOrder ?? 0) > (small.attempts[i - 1]?.answeredOrder ?? 0))).toBe(true);
    expect(findRetryViolations(small.attempts, 'reconlayer').map((v) => v.check)).toEqual(['no-pacing']);
  });

  test('a recording fetch notes the same order, so the same loop is caught from the client side', async () => {
    await small.reset();
    const recording = createRecordingFetch();
    await small.settle(bulk(recording.fetch)(), vi);
    expect(findRetryViolations(recording.attempts, 'reconlayer').map((v) => v.check)).toEqual(['no-pacing']);
  });

  test('a parallel fan-out on the same budget is not: every request was sent before any answer', async () => {
    await small.reset();
    const pages = Array.from({ length: 8 }, (_, page) =>
      retryLoop(
        () => fetch(`${SMALL}/v1/payment-intents?offset=${page * 25}`, { headers: ACME }),
        3,
        (_n, r) => retryAfterSecondsOf(r) * 1000 + Math.floor(Math.random() * 100),
      ),
    );
    await small.settle(Promise.all(pages), vi);
    const firstWave = small.attempts.slice(0, 8);
    expect(Math.max(...firstWave.map((a) => a.sentOrder ?? 0))).toBeLessThan(Math.min(...firstWave.map((a) => a.answeredOrder ?? 0)));
    expect(firstWave.filter((a) => a.status === 429)).toHaveLength(3);
    expect(findRetryViolations(small.attempts, 'reconlayer')).toEqual([]);
  });
});
