import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type MockServer, startMockServer } from '../src/mock/index.js';
import { runCli } from './support/run-cli.js';
import { ROOT, type RunResult, runBounded } from './support/scratch-project.js';

// Clients in another language: real Python clients from Debian (requests with urllib3's Retry, and
// tenacity) call the live mock, which records their attempts; `ratelimit-contract check-log` judges them
// from the mock's URL, as a Python team's CI would. The correct clients (mocks/examples/python/) pass; the
// broken ones (test/fixtures/python-clients/), which retry at once, fail with the check that names it.
const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import requests, urllib3, tenacity'], { encoding: 'utf8' });
const missing =
  probe.status === 0
    ? undefined
    : `${PYTHON} cannot import requests, urllib3 and tenacity (apt-get install python3-requests python3-tenacity; CI installs them)`;

interface PythonCase {
  name: string;
  profile: 'reconlayer' | 'authmatech';
  script: string;
  /** The findings check-log must print: none for a polite client. */
  findings: string[];
}
const CASES: PythonCase[] = [
  { name: 'requests + urllib3 Retry (honours retry-after)', profile: 'reconlayer', script: 'mocks/examples/python/reconlayer_requests.py', findings: [] },
  { name: 'tenacity (1 s, 2 s … ±100 ms, retry-after first)', profile: 'authmatech', script: 'mocks/examples/python/authmatech_tenacity.py', findings: [] },
  {
    name: 'requests + urllib3 Retry ignoring retry-after, no backoff',
    profile: 'reconlayer',
    script: 'test/fixtures/python-clients/reconlayer_requests_no_wait.py',
    findings: ['retry-before-retry-after'],
  },
  {
    name: 'tenacity with wait_none()',
    profile: 'authmatech',
    script: 'test/fixtures/python-clients/authmatech_tenacity_no_wait.py',
    findings: ['backoff-too-fast'],
  },
];
// Two 429s before the answer: ReconLayer's say retry-after 1; Authmatech's carry none, as documented.
const FAULTS = {
  reconlayer: { kind: 'rate-limited', times: 2, retryAfterSeconds: 1, path: '/v1/payment-intents' },
  authmatech: { kind: 'rate-limited', times: 2, path: '/v1/api/identity/sessions/*' },
};

const servers: MockServer[] = [];
const runs = new Map<string, Promise<{ client: RunResult; attempts: number }>>();

if (missing) {
  describe('Python clients against the live mock', () => {
    test.skip(`every case (skipped: ${missing})`, () => undefined);
  });
} else {
  beforeAll(async () => {
    for (const c of CASES) {
      const mock = await startMockServer({ profile: c.profile, env: {}, control: true });
      servers.push(mock);
      const added = await fetch(`${mock.url}/__ratelimit/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(FAULTS[c.profile]),
      });
      expect(added.status).toBe(201);
      runs.set(
        c.name,
        runBounded(PYTHON, [join(ROOT, c.script)], { cwd: ROOT, env: { ...process.env, API_BASE_URL: mock.url }, timeoutMs: 60_000 }).then(async (client) => {
          const log = (await (await fetch(`${mock.url}/__ratelimit/attempts`)).json()) as { attempts: unknown[] };
          return { client, attempts: log.attempts.length };
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.allSettled(runs.values());
    await Promise.all(servers.map((s) => s.close()));
  });

  describe('Python clients against the live mock, judged by check-log', () => {
    test.each(CASES.map((c, i) => ({ ...c, i })))('$profile: $name → $findings', { timeout: 90_000 }, async ({ name, profile, findings, i }) => {
      const { client, attempts } = await (runs.get(name) as Promise<{ client: RunResult; attempts: number }>);
      expect(client.output.trim(), client.output).toBe('200');
      expect(attempts).toBe(3);
      const mock = servers[i] as MockServer;
      const result = await runCli(['check-log', '--profile', profile, mock.url]);
      const found = [...result.stdout.matchAll(/^ {2}✗ ([a-z0-9-]+)/gm)].map((m) => m[1]);
      expect(found).toEqual(findings);
      expect(result.code, result.stdout + result.stderr).toBe(findings.length === 0 ? 0 : 1);
      if (findings.length === 0) expect(result.stdout).toMatch(/: polite\.\n$/);
    });
  });
}
