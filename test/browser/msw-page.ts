// The page the browser test loads (bundled by rolldown for the browser): a user's client code meeting
// the MSW helper's handlers through msw's service worker (setupWorker), with the API given as data.
import { setupWorker } from 'msw/browser';
import { type ApiDefinition, createRateLimitedApi, serverError } from '../../src/msw/browser.js';

/** The browser globals this page uses (the test suite's TypeScript has node's types, not the DOM's). */
const page = globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } }; runScenario?: typeof runScenario };
const BASE = 'https://api.reconlayer.test';
const ACME = { authorization: 'Bearer rl_test_acme_primary' };

async function call(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${BASE}${path}`, { headers });
  return {
    status: res.status,
    limit: res.headers.get('x-ratelimit-limit'),
    remaining: res.headers.get('x-ratelimit-remaining'),
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as unknown,
  };
}

async function runScenario(definition: ApiDefinition) {
  const api = createRateLimitedApi(definition, { baseUrl: BASE });
  const worker = setupWorker(...api.handlers);
  await worker.start({ serviceWorker: { url: '/mockServiceWorker.js' }, onUnhandledRequest: 'error', quiet: true });
  const limited = [];
  for (let i = 0; i <= (definition.policy.limits[0]?.limit ?? 0); i++) limited.push(await call('/v1/payment-intents', ACME));
  const exempt = await call('/health', ACME);
  api.script('GET /v1/payment-intents/*', [serverError(1, 503)]);
  const scripted = await call('/v1/payment-intents/pi_1', { authorization: 'Bearer rl_test_globex_primary' });
  const attempts = api.attempts.map((a) => ({ status: a.status, key: a.key, scope: a.scope, remaining: a.remaining }));
  worker.stop();
  return { limited, exempt, scripted, attempts, controlled: page.navigator.serviceWorker.controller !== null };
}

page.runScenario = runScenario;
