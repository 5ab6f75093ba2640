import { type IncomingMessage, request } from 'node:http';

/** One Server-Sent Events frame: its event name and its data, parsed as JSON. */
export interface SseFrame {
  event: string;
  data: unknown;
}

/** A text/event-stream response being read: frames so far, a wait for the next matching one, and close. */
export interface SseClient {
  status: number;
  headers: IncomingMessage['headers'];
  frames: SseFrame[];
  /** Resolves with the first frame (already received or to come) after `from` that matches. */
  next(match: (frame: SseFrame) => boolean, from?: number, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves once the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `path` as an event stream with node:http; resolves once the response head arrived (any status). */
export function openEventStream(baseUrl: string, path = '/__ratelimit/events', headers: Record<string, string> = {}): Promise<SseClient> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      const frames: SseFrame[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) frames.push({ event, data: JSON.parse(data) });
          end = buffer.indexOf('\n\n');
        }
        for (const wake of waiters) wake();
      });
      const ended = new Promise<void>((done) => res.on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        ended,
        next(match, from = 0, timeoutMs = 5_000) {
          return new Promise((found, fail) => {
            const look = () => {
              const frame = frames.slice(from).find(match);
              if (!frame) return false;
              waiters.delete(look);
              clearTimeout(timer);
              found(frame);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(look);
              fail(new Error(`No matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.event))}`));
            }, timeoutMs);
            if (!look()) waiters.add(look);
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
