import { formatAttempts, type RecordedAttempt } from '../client/attempt.js';

/** A growing log of attempts; `seq` is assigned on record, in arrival order. */
export interface AttemptLog {
  /** The attempts so far (a live, read-only view). */
  readonly attempts: readonly RecordedAttempt[];
  record(attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt;
  /** Reserves the next seq when a request arrives, so a slow answer keeps its arrival order. */
  reserve(): number;
  /** Records under a reserved seq, keeping the log sorted by seq. */
  recordAt(seq: number, attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt;
  clear(): void;
  /** The log as text, one line per attempt. */
  format(): string;
}

/** Creates the log that the nock helper fills and the retry assertions read. */
export function createAttemptLog(): AttemptLog {
  const attempts: RecordedAttempt[] = [];
  let nextSeq = 1;
  const recordAt = (seq: number, attempt: Omit<RecordedAttempt, 'seq'>): RecordedAttempt => {
    const entry = { seq, ...attempt };
    let at = attempts.length;
    while (at > 0 && (attempts[at - 1] as RecordedAttempt).seq > seq) at -= 1;
    attempts.splice(at, 0, entry);
    return entry;
  };
  return {
    attempts,
    reserve: () => nextSeq++,
    recordAt,
    record: (attempt) => recordAt(nextSeq++, attempt),
    clear() {
      attempts.length = 0;
      nextSeq = 1;
    },
    format: () => formatAttempts(attempts),
  };
}
