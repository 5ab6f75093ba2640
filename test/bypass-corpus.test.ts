import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../src/core/decision.js';
import { storeRule } from '../src/core/limiter.js';
import type { LimitPolicy } from '../src/core/policy.js';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { httpText, type RawExchange, sendRaw } from './support/raw-socket.js';

// The exemption-bypass corpus (test/bypass-corpus.json): every trick is sent byte for byte on a raw
// socket. With the budget exhausted none may be served (2xx) and each must get the 429; with a fresh
// budget each must spend exactly one unit. Grow the corpus, not this file.
interface CorpusEntry {
  id: string;
  profile: 'reconlayer' | 'authmatech';
  target: string;
  trick: string;
  method?: string;
  version?: string;
  headers?: Record<string, string>;
  body?: string;
  repeat?: [string, number];
  parserMayReject?: boolean;
}

const corpus = JSON.parse(readFileSync(new URL('./bypass-corpus.json', import.meta.url), 'utf8')) as { entries: CorpusEntry[] };
const LIMIT = 2;
const PROFILES = {
  reconlayer: {
    credentials: { authorization: 'Bearer rl_test_acme_primary' },
    key: 'organization:org_acme',
    limitedPath: '/v1/payment-intents',
    remainingHeader: 'x-ratelimit-remaining',
  },
  authmatech: {
    credentials: { 'x-client-id': 'client_alpha', 'x-api-key': 'am_test_alpha_key' },
    key: 'client:client_alpha',
    limitedPath: '/v1/api/portal/analytics/usage',
    remainingHeader: undefined,
  },
} as const;

const targetOf = (entry: CorpusEntry) => (entry.repeat ? entry.target.replace('{{repeat}}', entry.repeat[0].repeat(entry.repeat[1])) : entry.target);

function send(url: string, entry: CorpusEntry): Promise<RawExchange> {
  const profile = PROFILES[entry.profile];
  let text = httpText(entry.method ?? 'GET', targetOf(entry), { ...profile.credentials, ...entry.headers }, entry.body ?? '');
  if (entry.version) text = text.replace(' HTTP/1.1\r\n', ` ${entry.version}\r\n`);
  return sendRaw(url, text, { encoding: 'utf8' });
}

/** node's parser refused the request before the mock saw it: a bare 400 (or 414/431) and a closed socket. */
const parserRejected = (res: RawExchange) => [400, 414, 431].includes(res.status) && res.body === '' && res.headers['x-ratelimit-remaining'] === undefined;

describe('bypass corpus', () => {
  it('holds at least 40 unique tricks over both profiles', () => {
    const ids = corpus.entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.entries.map((e) => e.profile))).toEqual(new Set(['reconlayer', 'authmatech']));
  });
});

for (const profileName of ['reconlayer', 'authmatech'] as const) {
  const entries = corpus.entries.filter((e) => e.profile === profileName);
  const profile = PROFILES[profileName];

  describe(`bypass corpus: ${profileName}`, () => {
    let mock: MockServer;
    const rule = () => storeRule(mock.policy.limits[0] as LimitPolicy);
    const remaining = async () => ((await mock.store.peek([{ key: profile.key, rule: rule(), cost: 1 }], mock.clock.now()))[0] as Decision).remaining;
    const exhaust = async () => {
      await mock.store.resetAll();
      for (let i = 0; i < LIMIT; i += 1) await sendRaw(mock.url, httpText('GET', profile.limitedPath, profile.credentials));
      expect(await remaining()).toBe(0);
    };

    beforeAll(async () => {
      mock = await startMockServer({ profile: profileName, env: {}, limit: LIMIT });
      mock.clock.freeze();
    });
    afterAll(() => mock.close());

    it.each(entries.map((e) => [e.id, e.trick, e] as const))('%s (%s): 429 with the budget spent, never served', async (_id, _trick, entry) => {
      await exhaust();
      const res = await send(mock.url, entry);
      expect(res.status < 200 || res.status >= 300, `served ${res.status}: ${res.raw.slice(0, 200)}`).toBe(true);
      if (entry.parserMayReject && parserRejected(res)) return;
      expect(res.status, res.raw.slice(0, 300)).toBe(429);
    });

    it.each(entries.map((e) => [e.id, e.trick, e] as const))('%s (%s): spends exactly one unit of a fresh budget', async (_id, _trick, entry) => {
      await mock.store.resetAll();
      const res = await send(mock.url, entry);
      if (entry.parserMayReject && parserRejected(res)) {
        expect(await remaining()).toBe(LIMIT);
        return;
      }
      expect(res.status, res.raw.slice(0, 300)).not.toBe(0);
      expect(await remaining()).toBe(LIMIT - 1);
      if (profile.remainingHeader) expect(res.headers[profile.remainingHeader]).toBe(String(LIMIT - 1));
    });
  });
}
