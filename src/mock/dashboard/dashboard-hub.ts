import type { ServerResponse } from 'node:http';
import type { ControlContext } from '../control-api.js';
import type { HandledRequest, RequestObserver, RequestObservers } from '../request-observers.js';
import { EventStream, MAX_BUFFERED_BYTES, sseFrame } from './event-stream.js';
import { HISTORY_LIMITS, type KeyActivity, RequestHistory, type RequestRecord, recordOf } from './request-history.js';

/** How often a batch of news goes out, at most (ms), and the most requests one batch lists. */
export const FLUSH_MS = 100;
export const MAX_BATCH = 200;
/** A comment every so often keeps idle proxies from closing the stream. */
const HEARTBEAT_MS = 15_000;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What one `update` frame says: the requests answered since the last one, the budgets they touched, and what the page should read again. */
interface Batch {
  requests: RequestRecord[];
  /** Requests answered in this batch but not listed in it (past MAX_BATCH): counted in `keys`, missing from timelines. */
  skipped: number;
  /** The counts of every key these requests touched. */
  keys: Map<string, KeyActivity>;
  /** A scripted step answered one of them: its steps left changed. */
  faults: boolean;
  /** The control API changed something (clock, budgets, scripts): read them again. */
  control: boolean;
}

const emptyBatch = (): Batch => ({ requests: [], skipped: 0, keys: new Map(), faults: false, control: false });

/**
 * The dashboard's live side for one mock: the open streams, and the bounded history they start from.
 * It observes requests only while at least one stream is open (it joins the server's observers with the
 * first stream and leaves with the last), batches what it sees every FLUSH_MS, and sends one frame to
 * every stream. History is kept when the last stream closes, so that a reloaded page starts from it.
 */
export class DashboardHub implements RequestObserver {
  readonly history = new RequestHistory();
  readonly #streams = new Set<EventStream>();
  #batch = emptyBatch();
  #flushTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #leave: (() => void) | undefined;
  #closed = false;
  /** Flushes run one after another (a shared store answers budgets asynchronously), so frames keep their order. */
  #sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Pick<ControlContext, 'engine'>,
    private readonly observers: RequestObservers,
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {}

  /** Open streams. */
  get watchers(): number {
    return this.#streams.size;
  }

  /** Opens a stream on a response; answers 503 once the server is closing. */
  openStream(res: ServerResponse): void {
    if (this.#closed || this.observers.closing) {
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
      res.end(JSON.stringify({ error: 'The mock is shutting down.' }));
      return;
    }
    const stream = new EventStream(res, () => sseFrame('resync', this.hello()), this.maxBufferedBytes);
    this.#streams.add(stream);
    res.on('close', () => this.#drop(stream));
    stream.open(sseFrame('hello', this.hello()));
    if (this.#leave === undefined) {
      this.#leave = this.observers.add(this);
      this.#heartbeat = setInterval(() => this.#broadcast(': keep-alive\n\n'), HEARTBEAT_MS).unref();
    }
  }

  /** The first frame of a stream, and of a resync: what history holds, and the bounds it keeps. */
  hello() {
    return { ...this.history.snapshot(), limits: { ...HISTORY_LIMITS, batch: MAX_BATCH, flushMs: FLUSH_MS }, watchers: this.#streams.size };
  }

  onRequest(handled: HandledRequest): void {
    const batch = this.#batch;
    if (handled.reply === undefined) {
      // The control API's own calls: reads change nothing; writes (and failed writes) make pages read again.
      if (WRITES.has(handled.call.method)) batch.control = true;
      else return;
    } else {
      const record = recordOf(this.ctx.engine, handled, this.history.nextSeq()) as RequestRecord;
      const activity = this.history.add(record);
      batch.keys.set(activity.key, activity);
      if (batch.requests.length < MAX_BATCH) batch.requests.push(record);
      else batch.skipped += 1;
      if (record.scripted !== undefined) batch.faults = true;
    }
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  /** The server is closing: end every stream, and open no more. */
  onClose(): void {
    this.#closed = true;
    for (const stream of this.#streams) stream.end();
  }

  #flush(): void {
    this.#flushTimer = undefined;
    const batch = this.#batch;
    this.#batch = emptyBatch();
    this.#sending = this.#sending.then(() => this.#send(batch));
  }

  /** One frame: the batch, with the touched keys' budgets as GET /__ratelimit/budgets/<key> describes them. */
  async #send(batch: Batch): Promise<void> {
    const keys = [...batch.keys.values()].map(({ recent: _, ...counts }) => counts);
    // A store that fails to answer (a shared one, gone away) costs the frame its budgets, not the frame.
    const budgets = await Promise.all(keys.map(({ key }) => this.ctx.engine.describeBudget(key))).catch(() => []);
    const update = { requests: batch.requests, skipped: batch.skipped, keys, budgets, faults: batch.faults, control: batch.control };
    this.#broadcast(sseFrame('update', update));
  }

  #broadcast(frame: string): void {
    for (const stream of this.#streams) stream.send(frame);
  }

  #drop(stream: EventStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size > 0 || this.#leave === undefined) return;
    // The last watcher left: stop observing, so that requests cost nothing again.
    this.#leave();
    this.#leave = undefined;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#batch = emptyBatch();
  }
}
