import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Largest spec, referenced document or credentials file read (a 3,000-operation spec is about 3.3 MB). */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/** Why a file could not be read, as a phrase for "Failed to read X: <reason>". */
export class BoundedReadError extends Error {
  constructor(
    readonly reason: string,
    readonly code: 'ENOENT' | 'EISDIR' | 'NOT_REGULAR' | 'TOO_LARGE' | 'OTHER',
  ) {
    super(reason);
  }
}

const mib = (bytes: number) => `${Math.round(bytes / 1_048_576)} MiB`;

function failure(error: unknown): BoundedReadError {
  if (error instanceof BoundedReadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BoundedReadError('no such file', 'ENOENT');
  if (code === 'EISDIR') return new BoundedReadError('EISDIR: it is a directory', 'EISDIR');
  return new BoundedReadError(code ?? (error as Error).message, 'OTHER');
}

function checkStat(stat: { isFile(): boolean; isDirectory(): boolean; size: number }, maxBytes: number): void {
  if (stat.isDirectory()) throw new BoundedReadError('EISDIR: it is a directory', 'EISDIR');
  // Devices (/dev/zero, /dev/urandom), FIFOs and sockets never end or block: only regular files are read.
  if (!stat.isFile()) throw new BoundedReadError('it is not a regular file (a device, FIFO or socket)', 'NOT_REGULAR');
  if (stat.size > maxBytes) throw new BoundedReadError(`it is over ${mib(maxBytes)}`, 'TOO_LARGE');
}

// O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file as UTF-8, at most `maxBytes`: devices, FIFOs and sockets are refused before a
 * byte is read, and a file that grows past the cap while it is read (or reports size 0, as /proc files
 * do) stops at the cap. Throws BoundedReadError.
 */
export function readBoundedFileSync(path: string, maxBytes = MAX_DOCUMENT_BYTES): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, FLAGS);
    const stat = fstatSync(fd);
    checkStat(stat, maxBytes);
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(stat.size + 1, 65_536)));
    let length = 0;
    let chunk = buffer;
    for (;;) {
      if (length === chunk.length) {
        if (length > maxBytes) break;
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, length * 2));
        chunk.copy(grown, 0, 0, length);
        chunk = grown;
      }
      const read = readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) throw new BoundedReadError(`it is over ${mib(maxBytes)}`, 'TOO_LARGE');
    return chunk.toString('utf8', 0, length);
  } catch (error) {
    throw failure(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The asynchronous twin of readBoundedFileSync, abandoned (BoundedReadError) once `signal` aborts. */
export async function readBoundedFile(path: string, maxBytes: number, signal: AbortSignal): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, FLAGS);
    checkStat(await handle.stat(), maxBytes);
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      if (signal.aborted) throw new BoundedReadError('reading it took too long', 'OTHER');
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(65_536), 0, 65_536, null);
      if (bytesRead === 0) break;
      parts.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) throw new BoundedReadError(`it is over ${mib(maxBytes)}`, 'TOO_LARGE');
    }
    return Buffer.concat(parts, length).toString('utf8');
  } catch (error) {
    throw failure(error);
  } finally {
    await handle?.close();
  }
}
