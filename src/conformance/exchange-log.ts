import type { SingleLimitView } from '../core/single-limit-view.js';
import type { Exchange } from './conformance-check.js';
import { type RecordedExchange, type RecordedExchanges, recordExchange } from './recorded-exchange.js';

/** How many of a check's requests reports keep: the first ones and the last ones (the 429s come late). */
export const RECORDED_HEAD = 25;
export const RECORDED_TAIL = 25;

interface Entry {
  seq: number;
  exchange: Exchange;
  scenario?: string;
  omittedBefore?: number;
}

/** The requests one check (or one shared scenario) sent: the first and last few, and a count. */
export interface ExchangeLog {
  readonly scenario?: string;
  /** Another log whose requests this one's verdict rests on (a shared scenario it read). */
  link(other: ExchangeLog): void;
}

interface LogState extends ExchangeLog {
  head: Entry[];
  /** A ring of the last RECORDED_TAIL entries once the head is full. */
  tail: Entry[];
  tailStart: number;
  total: number;
  links: Set<LogState>;
}

/**
 * Keeps the requests of each check and shared scenario: references to at most head + tail exchanges per
 * log, read into records once, when the check's result is made. Which log a request lands in is the
 * check context's business (see check-context.ts): explicit, because async context tracking
 * (AsyncLocalStorage) slowed the whole run down by a fifth on Node 20.
 */
export interface ExchangeRecorder {
  createLog(scenario?: string): ExchangeLog;
  add(log: ExchangeLog, exchange: Exchange): void;
  /** The log's requests and those of the scenarios it read, in the order sent, bounded, as records. */
  snapshot(log: ExchangeLog): RecordedExchanges;
}

function entriesOf(log: LogState): Entry[] {
  const tail = [...log.tail.slice(log.tailStart), ...log.tail.slice(0, log.tailStart)];
  const omitted = log.total - log.head.length - tail.length;
  const entries = [...log.head, ...tail].map((e) => ({ ...e, scenario: log.scenario }));
  const firstOfTail = entries[log.head.length];
  if (omitted > 0 && firstOfTail) firstOfTail.omittedBefore = omitted;
  return entries;
}

/** Keeps the first RECORDED_HEAD and last RECORDED_TAIL entries; the first one after the cut counts what was cut. */
function bound(entries: Entry[]): Entry[] {
  if (entries.length <= RECORDED_HEAD + RECORDED_TAIL) return entries;
  const cut = entries.slice(RECORDED_HEAD, entries.length - RECORDED_TAIL);
  const kept = [...entries.slice(0, RECORDED_HEAD), ...entries.slice(entries.length - RECORDED_TAIL)];
  const firstAfter = kept[RECORDED_HEAD] as Entry;
  const cutCount = cut.reduce((sum, e) => sum + 1 + (e.omittedBefore ?? 0), 0);
  kept[RECORDED_HEAD] = { ...firstAfter, omittedBefore: (firstAfter.omittedBefore ?? 0) + cutCount };
  return kept;
}

/** A recorder for one session: times are read relative to `originMs` on the budget clock. */
export function createExchangeRecorder(policy: SingleLimitView, originMs: number): ExchangeRecorder {
  let seq = 0;
  // A shared scenario shows in every check that read it: read each exchange once (records are not mutated).
  const records = new WeakMap<Exchange, RecordedExchange>();
  const read = (e: Entry): RecordedExchange => {
    let record = records.get(e.exchange);
    if (!record) {
      record = recordExchange(e.exchange, policy, originMs, e.scenario);
      records.set(e.exchange, record);
    }
    return e.omittedBefore ? { ...record, omittedBefore: e.omittedBefore } : record;
  };
  return {
    createLog(scenario) {
      const log: LogState = {
        scenario,
        head: [],
        tail: [],
        tailStart: 0,
        total: 0,
        links: new Set(),
        link(other) {
          if (other !== log) log.links.add(other as LogState);
        },
      };
      return log;
    },
    add(target, exchange) {
      const log = target as LogState;
      const entry = { seq: seq++, exchange };
      log.total += 1;
      if (log.head.length < RECORDED_HEAD) log.head.push(entry);
      else if (log.tail.length < RECORDED_TAIL) log.tail.push(entry);
      else {
        log.tail[log.tailStart] = entry;
        log.tailStart = (log.tailStart + 1) % RECORDED_TAIL;
      }
    },
    snapshot(root) {
      const seen = new Set<LogState>();
      const visit = (log: LogState) => {
        if (seen.has(log)) return;
        seen.add(log);
        for (const other of log.links) visit(other);
      };
      visit(root as LogState);
      const logs = [...seen];
      const entries = logs.flatMap(entriesOf).sort((a, b) => a.exchange.sentAtMs - b.exchange.sentAtMs || a.seq - b.seq);
      const items = bound(entries).map(read);
      return { items, total: logs.reduce((sum, log) => sum + log.total, 0) };
    },
  };
}
