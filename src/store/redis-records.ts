import type { RecordStore } from '../core/budget-store.js';

/** How long a record lives, and how many one owner holds: as the in-process idempotency store keeps them. */
export const RECORD_TTL_MS = 86_400_000;
export const RECORDS_PER_OWNER = 1_000;

interface RedisRecordsParts {
  prefix: string;
  clockKey: string;
  /** Runs the record script with its key count, keys and arguments. */
  run(args: Array<string | number>): Promise<string | null>;
  /** Deletes every record and owner index. */
  clear(): Promise<void>;
}

/**
 * Idempotency records in Redis, under `<prefix>i:<owner length>:<owner>:<key>` (the length keeps any owner
 * and key apart), each owner's records indexed by age in `<prefix>io:<owner>`. One script per request:
 * keep the record unless a live one is there, which comes back instead; an owner's oldest record goes
 * once it holds RECORDS_PER_OWNER; records expire after RECORD_TTL_MS.
 */
export function createRedisRecords(parts: RedisRecordsParts): RecordStore {
  return {
    async putIfAbsent(owner, key, record) {
      const name = `${parts.prefix}i:${owner.length}:${owner}:${key}`;
      const found = await parts.run([3, name, `${parts.prefix}io:${owner}`, parts.clockKey, record, RECORD_TTL_MS, RECORDS_PER_OWNER, name, '']);
      return found ?? undefined;
    },
    clear: () => parts.clear(),
  };
}
