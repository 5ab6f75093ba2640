import { freshCallers, noPrincipal, primaryRun } from './budget-scenarios.js';
import type { CheckContext } from './check-context.js';
import type { CheckText, ConformanceCheck, Exchange } from './conformance-check.js';
import { isRejected, rejection, statusLine, wholeSeconds } from './expectations.js';
import type { Caller } from './key-pool.js';

/** After the burst: a new connection, then keep-alive sockets 1–3 of their own, in turn. */
const CONNECTIONS: Array<'fresh' | number> = ['fresh', 1, 'fresh', 2, 'fresh', 3];

const via = (connection: 'fresh' | number) => (connection === 'fresh' ? 'a new connection' : `keep-alive socket ${connection}`);

/** `1, 1, 0, 0` when some remaining value came back more than once among the allowed responses, else undefined. */
function repeatedRemaining(ctx: CheckContext, allowed: Exchange[]): { values: number[]; times: number } | undefined {
  const name = ctx.policy.headers.remaining;
  if (!name) return undefined;
  const values = allowed.map((e) => wholeSeconds(e.response.headers[name])).filter((v): v is number => v !== undefined);
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const times = Math.max(0, ...counts.values());
  return times >= 2 ? { values, times } : undefined;
}

/** The words for a repeat, e.g. `x-ratelimit-remaining repeats (4, 4, 3, 3): each value came back 2 times, as if 2 counters each counted their own share`. */
export function describeRepeats(ctx: CheckContext, allowed: Exchange[]): string | undefined {
  const repeats = repeatedRemaining(ctx, allowed);
  if (!repeats) return undefined;
  const shown = repeats.values.length > 12 ? `${repeats.values.slice(0, 12).join(', ')}, …` : repeats.values.join(', ');
  return `${ctx.policy.headers.remaining} repeats (${shown}): values came back up to ${repeats.times} times, as if ${repeats.times} counters each counted their own share`;
}

/**
 * One budget, however the requests travel: a concurrent burst of limit + 1 (each over a new connection,
 * all opened first so that they reach the server together), then requests one at a time over new
 * connections and over keep-alive sockets of their own, until six in a row are rejected or about four
 * times the limit got through. The count that got through in the window must be what one connection
 * gets (the primary run's, normally the limit).
 */
export const budgetSharedAcrossConnections = (text: CheckText): ConformanceCheck => ({
  ...text,
  foundation: true,
  blockedBy: ['lockout'],
  async run(ctx: CheckContext) {
    const primary = await primaryRun(ctx);
    const { limit, windowMs } = ctx.policy;
    const oneConnection = primary.rejectedAt !== undefined && !primary.spentAtStart ? primary.rejectedAt - 1 : undefined;
    const expected = oneConnection ?? limit;
    const fresh = (await freshCallers(ctx, { anonymous: true })) ?? noPrincipal(ctx);
    const caller = fresh.callers[0] as Caller;
    const size = expected + 1;
    const burst = await ctx.burst(ctx.plan.probe, caller, size, (i) => `request ${i} of a concurrent burst of ${size}, each over a new connection`);
    const windowEnds = (burst[0] as Exchange).sentAtMs + windowMs;
    const sequential: Exchange[] = [];
    let allowed = burst.filter((e) => !isRejected(ctx, e)).length;
    for (let i = 0, rejectedInARow = 0; rejectedInARow < CONNECTIONS.length && allowed < 4 * expected && i < 4 * expected + CONNECTIONS.length; i += 1) {
      const connection = CONNECTIONS[i % CONNECTIONS.length] as 'fresh' | number;
      const exchange = await ctx.send(ctx.plan.probe, caller, `request ${size + i + 1} of the window, over ${via(connection)}`, { connection });
      if (exchange.receivedAtMs >= windowEnds) break;
      sequential.push(exchange);
      if (isRejected(ctx, exchange)) rejectedInARow += 1;
      else {
        rejectedInARow = 0;
        allowed += 1;
      }
    }
    if (allowed <= expected) return;
    const burstAllowed = burst.filter((e) => !isRejected(ctx, e));
    const oneAtATime = sequential.filter((e) => !isRejected(ctx, e));
    const beyond = oneAtATime[0] ?? burstAllowed[burstAllowed.length - 1];
    const times = allowed / expected;
    const reference =
      oneConnection !== undefined ? `one keep-alive connection gets ${oneConnection} (${primary.owner}, the first check)` : `the limit is ${limit}`;
    // Several counters answer in turn, so the count one request at a time repeats (1, 1, 0, 0); a single
    // store that is not atomic counts one at a time fine, and loses increments only to the burst.
    const repeats = oneAtATime.length >= 2 ? describeRepeats(ctx, oneAtATime) : undefined;
    const hasRemaining = ctx.policy.headers.remaining !== undefined;
    const racy = burstAllowed.length > expected && !repeats && (hasRemaining || times < 1.75);
    const causes: string[] = [];
    if (racy) {
      const seen = describeRepeats(ctx, burstAllowed);
      causes.push(
        `the concurrent burst got ${burstAllowed.length} of ${size} through while requests one at a time stop at the limit: the store reads and writes the count in two steps (not atomically), so concurrent requests read the same count and overwrite each other's increments${seen ? ` (${seen.replace(/, as if .*$/, '')})` : ''}; increment atomically (INCR, a Lua script, a transaction)`,
      );
    } else {
      causes.push(
        `${allowed} successes in one window = ${times.toFixed(1).replace(/\.0$/, '')} × the limit: independent counters? Each replica or process behind the balancer keeps its own count (an in-memory store per instance), so N instances grant N × the limit; share one store (e.g. Redis) between them${hasRemaining ? '' : ' (or the store is not atomic: without a remaining header the two cannot be told apart)'}`,
      );
      if (repeats) causes.push(repeats);
    }
    ctx.fail({
      summary: `${allowed} requests of ${fresh.owner} were allowed in one window when sent over several connections (a burst of ${size} at once, then new connections and keep-alive sockets in turn), while ${reference}: ${causes.join('; ')}.`,
      expected: `at most ${expected} allowed in one window, however the requests travel, then ${rejection(ctx)}`,
      actual: `${allowed} allowed (${burstAllowed.length} of the burst of ${size}, ${allowed - burstAllowed.length} of ${sequential.length} one at a time); last status ${statusLine(sequential[sequential.length - 1]?.response.status ?? 0)}`,
      exchange: beyond,
      finding: 'counters',
    });
  },
});
