/** One handled request, as the log line shows it. */
export interface RequestLogEntry {
  method: string;
  path: string;
  key: string;
  remaining: string;
  status: number;
  ms: number;
}

/** Formats a request log line: method, path, budget key, remaining budget, status, time. */
export function formatLogEntry(entry: RequestLogEntry): string {
  return `${entry.method} ${entry.path} key=${entry.key} remaining=${entry.remaining} status=${entry.status} ${entry.ms.toFixed(1)}ms`;
}

/** A line writer that batches lines per event-loop turn, so logging does not cost a syscall per request. */
export function createBatchedWriter(write: (text: string) => void) {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    write(text);
  };
  return {
    line(text: string) {
      pending.push(text);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
