import type { BudgetEntry, BudgetStore, RecordStore } from '../core/budget-store.js';
import type { Decision } from '../core/decision.js';
import { createMirroredClock, type MirroredClock } from '../core/mirrored-clock.js';
import type { Algorithm, Stacking } from '../core/policy.js';
import { connectRedis, readRedisUrl, watchOutages } from './redis-connection.js';
import { createRedisRecords } from './redis-records.js';
import { CLOCK_SCRIPT, CONSUME_SCRIPT, KEYS_SCRIPT, RECORD_SCRIPT } from './redis-scripts.js';
import type { StoreOutage } from './store-outage.js';

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Begins every key the store writes. Replicas of one API share it; two APIs on one Redis need two. Default `rlc:`. */
  prefix?: string;
  /**
   * Whose time decides: `store` (the default), Redis TIME plus the virtual clock kept beside the budgets,
   * one clock for every replica; or `caller`, the `nowMs` of each call (a caller with its own clock, tests).
   */
  time?: 'store' | 'caller';
  /** A command unanswered this long fails, and the request meets the store-fault mode. Default 1000 ms. */
  commandTimeoutMs?: number;
  /** Told when Redis becomes unreachable (once per outage) and when it answers again. */
  onOutage?: (event: StoreOutage) => void;
  /** Where the URL came from, as errors name it: `--store`, `RATE_LIMIT_STORE`. Default `the store option`. */
  source?: string;
}

/** A budget store in Redis, with the clock and the idempotency records every replica shares. */
export interface RedisStore extends BudgetStore {
  readonly clock: MirroredClock | undefined;
  readonly records: RecordStore;
  readonly label: string;
  /**
   * The connection, for tests and tools (e.g. `PTTL` of a key): ioredis's `Redis`, typed as an object so
   * that the package's types do not need ioredis, an optional peer (cast it: `store.redis as Redis`).
   */
  readonly redis: object;
  /** The Redis key that holds one budget's state (`<prefix><f|s|t>:<key>`). */
  stateKey(key: string, algorithm: Algorithm): string;
}

type Reply = string[];
/** A consume or peek waiting for the next batch. */
interface Waiting {
  mode: 'c' | 'p';
  entries: readonly BudgetEntry[];
  nowMs: number;
  stacking: Stacking | undefined;
  resolve(decisions: Decision[]): void;
  reject(error: Error): void;
}
interface Scripts {
  rlcConsume(...args: Array<string | number>): Promise<Array<string | number>>;
  rlcKeys(...args: Array<string | number>): Promise<string[]>;
  rlcClock(...args: Array<string | number>): Promise<Reply>;
  rlcRecord(...args: Array<string | number>): Promise<string | null>;
}

const TAG: Record<Algorithm, string> = { 'fixed-window': 'f', 'sliding-window': 's', 'token-bucket': 't' };
/** Keys deleted per command while resetting: SCAN and UNLINK in slices, so Redis never stalls on a big reset. */
const SCAN_COUNT = 1000;
/** Requests per script call at most: a burst beyond it takes several, so no call holds Redis for long (≈ 1 ms). */
const MAX_BATCH = 64;
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * Opens a BudgetStore on Redis (ioredis): every request is one Lua script call, one round trip, atomic for
 * all its entries under the policy's stacking rule, for each algorithm of the memory store. Keys begin
 * with `prefix` and expire once their state limits nothing (memory stays bounded); the clock is Redis's
 * (TIME plus a virtual offset kept in Redis), so replicas agree on time and `clock/advance` on one moves
 * all. Fails with one line (ERR_RLC_STORE) if the URL is wrong or Redis does not answer.
 * @example const store = await openRedisStore({ url: 'redis://127.0.0.1:6379/0' }); await startMockServer({ store });
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<RedisStore> {
  const source = options.source ?? 'the store option';
  const target = readRedisUrl(options.url, source);
  const prefix = options.prefix ?? 'rlc:';
  const commandTimeoutMs = options.commandTimeoutMs ?? 1000;
  const callerTime = options.time === 'caller';
  const redis = await connectRedis(target, source, commandTimeoutMs);
  const outages = watchOutages(redis, commandTimeoutMs, options.onOutage);
  redis.defineCommand('rlcConsume', { lua: CONSUME_SCRIPT });
  redis.defineCommand('rlcKeys', { lua: KEYS_SCRIPT });
  redis.defineCommand('rlcClock', { lua: CLOCK_SCRIPT });
  redis.defineCommand('rlcRecord', { lua: RECORD_SCRIPT });
  const scripts = redis as unknown as Scripts;
  const clockKey = `${prefix}clock`;
  const recentKey = `${prefix}recent`;
  const stateKey = (key: string, algorithm: Algorithm) => `${prefix}${TAG[algorithm]}:${key}`;
  /** Marks the store healthy again after an outage, or tells of one; rethrows for the engine's fault mode. */
  const watched = <T>(call: Promise<T>): Promise<T> =>
    call.then(
      (value) => {
        if (outages.down) outages.answered();
        return value;
      },
      (error: unknown) => {
        outages.failed(error);
        throw error;
      },
    );

  const clock = callerTime
    ? undefined
    : createMirroredClock(async (move) => {
        const ms = move?.kind === 'advance' ? move.ms : 0;
        const [real, offset, frozen] = await watched(scripts.rlcClock(1, clockKey, move?.kind ?? '', ms));
        return { realMs: Number(real), state: { offsetMs: Number(offset), frozenAtMs: frozen ? Number(frozen) : undefined } };
      });
  /** The caller's last time (caller mode), for the calls that take none (keys). */
  let lastNowMs = 0;

  /**
   * The requests of one event-loop turn go to Redis together, as one script call (the round trip and the
   * script's start-up are shared); each is still decided whole, in arrival order.
   */
  let queue: Waiting[] = [];
  const flush = () => {
    const batch = queue;
    if (batch.length === 0) return;
    queue = [];
    const keys: string[] = [clockKey, recentKey];
    const argv: Array<string | number> = [];
    for (const w of batch) {
      argv.push(w.mode, w.stacking === 'in-order' ? 'o' : 'a', callerTime ? w.nowMs : '', w.entries.length);
      for (const e of w.entries) {
        keys.push(stateKey(e.key, e.rule.algorithm));
        argv.push(TAG[e.rule.algorithm], e.rule.limit, e.rule.windowMs, e.cost, e.key);
      }
    }
    watched(scripts.rlcConsume(keys.length, ...keys, ...argv)).then(
      (reply) => {
        const frozen = reply[1];
        clock?.update(Number(reply[0]), frozen === '' ? undefined : Number(frozen));
        let at = 2;
        for (const w of batch) {
          const decisions: Decision[] = [];
          for (let i = 0; i < w.entries.length; i += 1, at += 5) {
            decisions.push({
              allowed: reply[at] === 1,
              limit: Number(reply[at + 1]),
              remaining: Number(reply[at + 2]),
              resetMs: Number(reply[at + 3]),
              retryAfterMs: Number(reply[at + 4]),
            });
          }
          w.resolve(decisions);
        }
      },
      (error: Error) => {
        for (const w of batch) w.reject(error);
      },
    );
  };
  const run = (mode: 'c' | 'p', entries: readonly BudgetEntry[], nowMs: number, stacking: Stacking | undefined): Promise<Decision[]> =>
    new Promise((resolve, reject) => {
      if (callerTime) lastNowMs = nowMs;
      if (queue.length === 0) setImmediate(flush);
      queue.push({ mode, entries, nowMs, stacking, resolve, reject });
      if (queue.length >= MAX_BATCH) flush();
    });

  /** Deletes every key matching one of `patterns` (under the prefix), a slice at a time. */
  const scanDelete = async (patterns: string[]) => {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await watched(redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}${pattern}`, 'COUNT', SCAN_COUNT));
        if (keys.length > 0) await watched(redis.unlink(...keys));
        cursor = next;
      } while (cursor !== '0');
    }
  };

  const records = createRedisRecords({
    prefix,
    clockKey,
    run: (args) => watched(scripts.rlcRecord(...args)),
    clear: () => scanDelete(['i:*', 'io:*']),
  });

  return {
    label: `${target.label} (prefix ${prefix})`,
    redis,
    clock,
    records,
    stateKey,
    consume: (entries, nowMs, stacking) => run('c', entries, nowMs, stacking),
    peek: (entries, nowMs) => run('p', entries, nowMs, undefined),
    async resetKey(key) {
      const states = Object.values(TAG).map((tag) => `${prefix}${tag}:${key}`);
      await watched(
        redis
          .multi()
          .unlink(...states)
          .zrem(recentKey, key)
          .exec(),
      );
    },
    async resetAll() {
      await scanDelete(['f:*', 's:*', 't:*']);
      await watched(redis.unlink(recentKey));
    },
    keys: (max) => watched(scripts.rlcKeys(2, clockKey, recentKey, Math.max(0, Math.floor(max)), callerTime ? lastNowMs : '')),
    async close() {
      outages.closing();
      // QUIT lets Redis answer what is in flight; a connection that is down is just dropped.
      await Promise.race([redis.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, commandTimeoutMs).unref())]);
      redis.disconnect();
    },
  };
}
