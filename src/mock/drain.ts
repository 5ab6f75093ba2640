import type { Server } from 'node:http';

/**
 * Stops listening at once, closes idle keep-alive connections, lets in-flight requests finish, and past
 * `deadlineMs` closes every connection left. The deadline is needed: `server.close()` also stops the
 * checks that enforce `headersTimeout` and `requestTimeout`, so a client that sent nothing, half its
 * headers or half a body kept a draining server (and the process) alive for ever. The mock's default is
 * 5 s (DEFAULT_DRAIN_TIMEOUT_MS): under `docker stop`'s 10 s and Kubernetes' 30 s grace periods, which
 * end in SIGKILL.
 */
export function drain(server: Server, deadlineMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), deadlineMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
