import { formatAttempts, type RecordedAttempt } from '../client/attempt.js';

/** A growing log of attempts; `seq` is assigned on record, in arrival order. */
export interface AttemptLog {
  /** The attempts so far (a live, read-only view). */
  readonly attempts: readonly RecordedAttempt[];
  /** Records a request that arrived and was answered at once. */
  record(attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt;
  /** Reserves the next seq when a request arrives, so a slow answer keeps its arrival order; notes the arrival's causal order. */
  reserve(): number;
  /** Records the answer to a reserved seq, keeping the log sorted by seq; notes the answer's causal order. */
  recordAt(seq: number, attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt;
  clear(): void;
  /** The log as text, one line per attempt. */
  format(): string;
}

/**
 * Creates the log that the nock and MSW helpers fill and the retry assertions read. One counter ticks at
 * every arrival (`reserve`) and every answer (`recordAt`), so each attempt carries `sentOrder` and
 * `answeredOrder`: a request that arrived after another was answered was sent after its client could read
 * that answer, which times alone cannot tell under fake timers (every answer takes 0 ms there).
 */
export function createAttemptLog(): AttemptLog {
  const attempts: RecordedAttempt[] = [];
  const sentOrders = new Map<number, number>();
  let nextSeq = 1;
  let order = 0;
  const reserve = (): number => {
    const seq = nextSeq++;
    sentOrders.set(seq, ++order);
    return seq;
  };
  const recordAt = (seq: number, attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt => {
    const sentOrder = attempt.sentOrder ?? sentOrders.get(seq) ?? ++order;
    sentOrders.delete(seq);
    const entry: RecordedAttempt = { seq, ...attempt, sentOrder, answeredOrder: attempt.answeredOrder ?? ++order };
    let at = attempts.length;
    while (at > 0 && (attempts[at - 1] as RecordedAttempt).seq > seq) at -= 1;
    attempts.splice(at, 0, entry);
    return entry;
  };
  return {
    attempts,
    reserve,
    recordAt,
    record: (attempt) => recordAt(reserve(), attempt),
    clear() {
      attempts.length = 0;
      sentOrders.clear();
      nextSeq = 1;
      order = 0;
    },
    format: () => formatAttempts(attempts),
  };
}
