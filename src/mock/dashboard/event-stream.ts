import type { ServerResponse } from 'node:http';

/** One Server-Sent Events frame: `event: <name>` and its JSON on one `data:` line (JSON has no raw line breaks). */
export const sseFrame = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Bytes a stream may have waiting to be sent before it drops what follows and, once drained, resyncs. */
export const MAX_BUFFERED_BYTES = 512 * 1024;

/**
 * One open live stream (text/event-stream) to a client. A client that reads slowly cannot make the mock
 * buffer without bound: past `maxBufferedBytes` waiting, further frames are dropped, and once the
 * socket drains the client gets one `resync` frame (a fresh snapshot) instead of what it missed.
 */
export class EventStream {
  #dropping = false;
  #ended = false;
  /** Frames dropped since the stream opened (for tests and the report). */
  dropped = 0;
  /** Resync frames sent. */
  resyncs = 0;

  constructor(
    readonly res: ServerResponse,
    private readonly resyncFrame: () => string,
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {}

  /** Writes the response head and the first frame. */
  open(first: string): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Proxies such as nginx would otherwise hold frames back.
      'x-accel-buffering': 'no',
      // The connection ends with the stream, so that closing the server (which ends every stream) can finish.
      connection: 'close',
    });
    // `retry:` tells an EventSource how long to wait before it reconnects.
    this.res.write(`retry: 2000\n${first}`);
  }

  get ended(): boolean {
    return this.#ended || this.res.destroyed || this.res.writableEnded;
  }

  /** Sends a frame, unless the client is behind: then the frame is dropped and a resync follows the drain. */
  send(frame: string): void {
    if (this.ended) return;
    if (this.#dropping) {
      this.dropped += 1;
      return;
    }
    if (this.res.writableLength > this.maxBufferedBytes) {
      this.#dropping = true;
      this.dropped += 1;
      this.res.once('drain', () => {
        this.#dropping = false;
        if (this.ended) return;
        this.resyncs += 1;
        this.res.write(this.resyncFrame());
      });
      return;
    }
    this.res.write(frame);
  }

  end(): void {
    if (this.ended) return;
    this.#ended = true;
    this.res.end();
  }
}
