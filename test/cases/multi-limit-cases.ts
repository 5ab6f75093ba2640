import { describe, expect } from 'vitest';
import { type Backend, type CaseResponse, caseHarness } from './rate-limit-cases.js';

// The shared cases for several limits, costs and per-operation limits, run by every backend beside
// rate-limit-cases.ts: a small draft-12 fixture (burst 2/s, quota 4/h, a cost from the body, an operation
// with a budget of its own) and the examples in openapi/examples (GitHub-like, LLM-style).

const TWO_LIMITS = 'test/fixtures/two-limits.yaml';
const GITHUB = { spec: 'openapi/examples/github-like.yaml', credentials: 'mocks/examples/github-like.credentials.json' };
const LLM = { spec: 'openapi/examples/llm-style.yaml', credentials: 'mocks/examples/llm-style.credentials.json' };
const OCTOCAT = { authorization: 'Bearer ghp_test_octocat_laptop' };
const ACME = { authorization: 'Bearer sk-test-acme-1', 'content-type': 'application/json' };
const ITEMS = '/v1/items';

const json = (res: CaseResponse): unknown => JSON.parse(res.text);
const job = (units?: number) => ({
  method: 'POST',
  path: '/v1/jobs',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(units === undefined ? {} : { units }),
});
const completion = (maxTokens: number) => ({
  method: 'POST',
  path: '/v1/chat/completions',
  headers: ACME,
  body: JSON.stringify({ model: 'small-1', max_tokens: maxTokens, messages: [] }),
});
/** The headers of a response whose names start with a prefix. */
const headersOf = (res: CaseResponse, prefix: RegExp) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => prefix.test(name)));

/** Runs the cases on several limits on one backend. */
export function runMultiLimitCases(backend: Backend): void {
  const { start, test } = caseHarness(backend);

  describe(`${backend.name}: several limits`, () => {
    test('every response reports each policy; the first limit a request does not fit decides, and nothing is spent', async () => {
      const a = await start({ spec: TWO_LIMITS });
      const first = await a.send({ path: ITEMS });
      const second = await a.send({ path: ITEMS });
      expect([first.headers.ratelimit, second.headers.ratelimit]).toEqual(['"burst";r=1;t=1, "quota";r=3;t=3600', '"burst";r=0;t=1, "quota";r=2;t=3600']);
      expect(first.headers['ratelimit-policy']).toBe('"burst";q=2;w=1, "quota";q=4;w=3600');
      const refused = await a.send({ path: ITEMS });
      expect([refused.status, refused.headers['retry-after'], refused.headers.ratelimit]).toEqual([429, '1', '"burst";r=0;t=1, "quota";r=2;t=3600']);
      expect(json(refused)).toEqual({ error: 'burst exhausted, retry in 1 second' });
      await a.advance(1_000);
      const later = await a.send({ path: ITEMS });
      expect([later.status, later.headers.ratelimit]).toEqual([200, '"burst";r=1;t=1, "quota";r=1;t=3599']);
    });

    test('the quota decides once the burst has room: retry-after is the longest wait of the limits that refused', async () => {
      const a = await start({ spec: TWO_LIMITS });
      for (const wait of [0, 0, 1_000, 0]) {
        await a.advance(wait);
        expect((await a.send({ path: ITEMS })).status).toBe(200);
      }
      await a.advance(1_000);
      const refused = await a.send({ path: ITEMS });
      expect([refused.status, refused.headers['retry-after'], refused.headers.ratelimit]).toEqual([429, '3598', '"burst";r=2;t=1, "quota";r=0;t=3598']);
      // Worded as @fastify/rate-limit words it: 3598 s is 59.97 minutes, rounded.
      expect(json(refused)).toEqual({ error: 'quota exhausted, retry in 60 minutes' });
      // Refused requests spend nothing: the burst never runs out, the quota keeps deciding.
      const again = [await a.send({ path: ITEMS }), await a.send({ path: ITEMS }), await a.send({ path: ITEMS })];
      expect(again.map((r) => [r.status, r.headers['retry-after']])).toEqual([
        [429, '3598'],
        [429, '3598'],
        [429, '3598'],
      ]);
    });

    test('a cost read from the body spends that many units; a request that does not fit spends nothing anywhere', async () => {
      const a = await start({ spec: TWO_LIMITS });
      const three = await a.send(job(3));
      expect([three.status, three.headers.ratelimit]).toEqual([201, '"burst";r=1;t=1, "quota";r=1;t=3600']);
      const two = await a.send(job(2));
      expect([two.status, two.headers.ratelimit]).toEqual([429, '"burst";r=1;t=1, "quota";r=1;t=3600']);
      expect(json(two)).toEqual({ error: 'quota exhausted, retry in 1 hour' });
      const byDefault = await a.send(job());
      expect([byDefault.status, byDefault.headers.ratelimit]).toEqual([201, '"burst";r=0;t=1, "quota";r=0;t=3600']);
    });

    test('an operation with a limit and a budget of its own spends neither root limit', async () => {
      const a = await start({ spec: TWO_LIMITS });
      const search = await a.send({ path: '/v1/search' });
      expect([search.status, search.headers.ratelimit, search.headers['ratelimit-policy']]).toEqual([200, '"search";r=0;t=60', '"search";q=1;w=60']);
      expect((await a.send({ path: ITEMS })).headers.ratelimit).toBe('"burst";r=1;t=1, "quota";r=3;t=3600');
      const again = await a.send({ path: '/v1/search' });
      expect([again.status, again.headers['retry-after']]).toEqual([429, '60']);
      expect(json(again)).toEqual({ error: 'search exhausted, retry in 1 minute' });
    });
  });

  describe(`${backend.name}: the examples`, () => {
    test('LLM-style: tokens spent from max_tokens, resets as durations; a request that does not fit spends no request', async () => {
      const a = await start(LLM);
      const big = await a.send(completion(39_990));
      expect([big.status, headersOf(big, /^x-ratelimit-/)]).toEqual([
        200,
        {
          'x-ratelimit-limit-requests': '60',
          'x-ratelimit-remaining-requests': '59',
          'x-ratelimit-reset-requests': '1s',
          'x-ratelimit-limit-tokens': '40000',
          'x-ratelimit-remaining-tokens': '10',
          'x-ratelimit-reset-tokens': '59.985s',
        },
      ]);
      const refused = await a.send(completion(100));
      expect([refused.status, refused.headers['retry-after'], refused.headers['x-ratelimit-remaining-requests']]).toEqual([429, '1', '59']);
      expect(json(refused)).toEqual({
        error: {
          message: 'Rate limit reached for tokens per min. Limit 40000. Please try again in 1 second.',
          type: 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      });
      const models = await a.send({ path: '/v1/models', headers: ACME });
      expect([models.status, models.headers['x-ratelimit-remaining-requests'], models.headers['x-ratelimit-remaining-tokens']]).toEqual([200, '58', '10']);
    });

    test('GitHub-like: 5,000 an hour for a user, 60 for an IP, search on a budget of its own, the reset an epoch second', async () => {
      const a = await start(GITHUB);
      const user = await a.send({ path: '/repos/octocat/Hello-World', headers: OCTOCAT });
      expect(headersOf(user, /^x-ratelimit-(limit|remaining|used|resource)$/)).toEqual({
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
      });
      const anonymous = await a.send({ path: '/repos/octocat/Hello-World' });
      expect([anonymous.headers['x-ratelimit-limit'], anonymous.headers['x-ratelimit-remaining']]).toEqual(['60', '59']);
      const search = await a.send({ path: '/search/repositories?q=tetris', headers: OCTOCAT });
      expect([search.headers['x-ratelimit-limit'], search.headers['x-ratelimit-remaining'], search.headers['x-ratelimit-resource']]).toEqual([
        '30',
        '29',
        'search',
      ]);
      await a.advance(1_800_000);
      const later = await a.send({ path: '/repos/octocat/Hello-World', headers: OCTOCAT });
      expect([later.headers['x-ratelimit-remaining'], later.headers['x-ratelimit-reset']]).toEqual(['4998', user.headers['x-ratelimit-reset']]);
      await a.advance(3_600_000);
      const nextWindow = await a.send({ path: '/repos/octocat/Hello-World', headers: OCTOCAT });
      expect(Number(nextWindow.headers['x-ratelimit-reset']) - Number(user.headers['x-ratelimit-reset'])).toBe(5_400);
      expect(headersOf(await a.send({ path: '/rate_limit', headers: OCTOCAT }), /^x-ratelimit-|^retry-after$/)).toEqual({});
    });

    test('GitHub-like: past the primary limit, 429 with remaining 0 and no retry-after (wait for x-ratelimit-reset)', async () => {
      const a = await start({ ...GITHUB, limit: 2 });
      await a.send({ path: '/user', headers: OCTOCAT });
      await a.send({ path: '/user', headers: OCTOCAT });
      const refused = await a.send({ path: '/user', headers: OCTOCAT });
      expect([refused.status, refused.headers['x-ratelimit-remaining'], refused.headers['x-ratelimit-used'], refused.headers['retry-after']]).toEqual([
        429,
        '0',
        '2',
        undefined,
      ]);
      expect(json(refused)).toMatchObject({ message: 'API rate limit of 2 requests per 1 hour exceeded. Wait for the time in x-ratelimit-reset.' });
    });
  });
}
