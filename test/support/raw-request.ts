import { request } from 'node:http';

/** A response as the tests read it: status, lower-case headers (joined), body text and parsed JSON. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

export interface RawRequestOptions {
  method?: string;
  /** Sent verbatim as the request target: dot segments, `//` and escapes are not normalized (fetch would). */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Local address to send from, e.g. 127.0.0.2, to act as another client IP. */
  localAddress?: string;
}

/** Sends one HTTP/1.1 request with node:http, so that the target reaches the server exactly as written. */
export function rawRequest(baseUrl: string, options: RawRequestOptions): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends `count` requests one after another and returns the statuses. */
export async function sendSequential(baseUrl: string, count: number, options: RawRequestOptions): Promise<RawResponse[]> {
  const out: RawResponse[] = [];
  for (let i = 0; i < count; i += 1) out.push(await rawRequest(baseUrl, options));
  return out;
}
