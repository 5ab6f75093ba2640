import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../engine/serve-operation.js';

/** The first allocation for a body; it doubles as needed (a declared content-length is not trusted with more). */
const FIRST_CAPACITY = 16_384;

/**
 * Reads a request body up to `maxBytes`; resolves 'too-large' past it, or 'aborted' if the client goes away.
 * Chunks are copied into one buffer that doubles as it fills, never kept: node hands each chunk of a
 * chunked body over as its own Buffer, so keeping them let 1,000,000 one-byte chunks (6 MB on the wire,
 * under the 1 MiB cap) hold about 400 MB, and two such bodies crashed a mock with a 128 MB heap. Now a body
 * holds at most twice its size, and never more than `maxBytes`.
 */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let size = 0;
    let done = false;
    const finish = (value: Buffer | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      buffer = Buffer.alloc(0);
      resolve(value);
    };
    const body = () => buffer.subarray(0, size);
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      if (size + chunk.length > maxBytes) {
        req.resume();
        finish('too-large');
        return;
      }
      if (size + chunk.length > buffer.length) {
        let capacity = Math.max(FIRST_CAPACITY, buffer.length * 2);
        while (capacity < size + chunk.length) capacity *= 2;
        const grown = Buffer.alloc(Math.min(capacity, maxBytes));
        buffer.copy(grown, 0, 0, size);
        buffer = grown;
      }
      chunk.copy(buffer, size);
      size += chunk.length;
    });
    req.on('end', () => finish(body()));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish(req.complete ? body() : 'aborted'));
  });
}

/** Parses a JSON body; undefined for an empty body, the raw text when it is not JSON. */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (body.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
