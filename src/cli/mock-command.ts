import { readIpv6Subnet } from '../core/client-ip.js';
import type { Algorithm } from '../core/policy.js';
import { startMockServer } from '../mock/start-mock-server.js';
import { parsePort, parsePositiveInt, usageError } from './cli-error.js';
import { parseFlags } from './parse-flags.js';

export const MOCK_HELP = `Usage: ratelimit-contract mock [--profile authmatech|reconlayer | --spec <file>] [options]

Serves every operation of the spec with Prism-rendered examples and enforces its x-rate-limit policy.

Options:
  --profile <name>       embedded API: authmatech or reconlayer (default: reconlayer)
  --spec <file>          your own OpenAPI 3.x file with an x-rate-limit extension
  --credentials <file>   credentials JSON (default: the profile's fixtures in mocks/)
  --port <n>             port (default 3001; 0 picks a free one)
  --host <addr>          address to bind (default 127.0.0.1)
  --limit <n>            requests per window (wins over RATE_LIMIT_MAX and the spec)
  --window <duration>    window, e.g. 10s, 1m, "1 minute" (wins over RATE_LIMIT_WINDOW)
  --algorithm <name>     fixed-window (default), sliding-window or token-bucket
  --trust-proxy          key IP callers by X-Forwarded-For (ignored by default)
  --ipv6-subnet <bits>   key IPv6 callers by this prefix length, 1-128 (default 56)
  --emit-headers         add x-ratelimit-* and retry-after where the policy promises none
  --validate             validate requests against the spec with Prism (422 on violations)
  --control              enable the test-control API at /__ratelimit (loopback callers only)
  --control-token <t>    enable it for any caller that sends x-ratelimit-control-token: <t>
  --max-keys <n>         cap of budget keys kept in memory (LRU eviction; default 1000000)
  --allow-external-refs  let the spec's $refs read files outside its directory and fetch URLs
  --quiet                no banner, no request log
  -h, --help             this help

Env (when the spec declares them, e.g. ReconLayer): RATE_LIMIT_MAX, RATE_LIMIT_WINDOW.
Stops on SIGINT/SIGTERM after in-flight requests finish.`;

const ALGORITHMS = ['fixed-window', 'sliding-window', 'token-bucket'];

/** `ratelimit-contract mock`: starts the server and keeps it up until a signal. */
export async function runMockCommand(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseFlags('mock', args, {
    profile: { type: 'string' },
    spec: { type: 'string' },
    credentials: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    limit: { type: 'string' },
    window: { type: 'string' },
    algorithm: { type: 'string' },
    'trust-proxy': { type: 'boolean' },
    'ipv6-subnet': { type: 'string' },
    'allow-external-refs': { type: 'boolean' },
    'emit-headers': { type: 'boolean' },
    validate: { type: 'boolean' },
    control: { type: 'boolean' },
    'control-token': { type: 'string' },
    'max-keys': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    out(`${MOCK_HELP}\n`);
    return 0;
  }
  if (positionals.length > 0) {
    throw usageError(
      `Failed to read the mock arguments: "${positionals[0]}" is not a flag (mock takes flags only). Pass e.g. --profile ${positionals[0]} or --spec ${positionals[0]}.`,
    );
  }
  if (values.host !== undefined && values.host.trim() === '') {
    throw usageError(
      'Failed to read --host: it is empty (node would listen on every interface). Pass --host 127.0.0.1 (the default), or 0.0.0.0 to listen on every interface on purpose.',
    );
  }
  if (values.algorithm !== undefined && !ALGORITHMS.includes(values.algorithm)) {
    throw usageError(`Failed to read --algorithm: "${values.algorithm}" is not an algorithm. Pass one of ${ALGORITHMS.join(', ')}.`);
  }
  if (values['control-token'] !== undefined && values['control-token'].length < 16) {
    throw usageError('Failed to read --control-token: it is shorter than 16 characters. Pass a long random token, e.g. from `openssl rand -hex 16`.');
  }
  const quiet = values.quiet ?? false;
  const mock = await startMockServer({
    profile: values.profile,
    spec: values.spec,
    credentials: values.credentials,
    port: parsePort(values.port, 3001),
    host: values.host,
    limit: parsePositiveInt(values.limit, '--limit'),
    window: values.window,
    algorithm: values.algorithm as Algorithm | undefined,
    trustProxy: values['trust-proxy'],
    ipv6Subnet: readIpv6Subnet(values['ipv6-subnet'], '--ipv6-subnet'),
    allowExternalRefs: values['allow-external-refs'],
    emitHeaders: values['emit-headers'],
    validate: values.validate,
    control: values.control,
    controlToken: values['control-token'],
    maxKeys: parsePositiveInt(values['max-keys'], '--max-keys'),
    env: process.env,
    log: quiet ? undefined : out,
  });
  if (!quiet) out(`${mock.banner}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      if (!quiet) out(`received ${signal}: finishing in-flight requests, then closing\n`);
      mock.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
