import type { Engine } from '../engine/create-engine.js';
import type { AttemptLogSnapshot, AttemptRecorder } from './attempt-recorder.js';

/**
 * `/__ratelimit/attempts[/<key>]`: GET reads the attempt log (every key's, or one key's, in arrival order),
 * DELETE forgets it. The answer is `{ clock, dropped, attempts }`, which `ratelimit-contract check-log`
 * reads from a URL or a saved file.
 */
export function serveAttempts(engine: Engine, recorder: AttemptRecorder, method: string, route: string): { status: number; body: unknown } {
  let key: string | undefined;
  if (route.startsWith('/attempts/')) {
    try {
      key = decodeURIComponent(route.slice('/attempts/'.length));
    } catch {
      const error =
        'Failed to read the budget key: it is not valid percent-encoding. Encode it with encodeURIComponent, e.g. /__ratelimit/attempts/organization%3Aorg_acme.';
      return { status: 400, body: { error } };
    }
  }
  if (method === 'GET') {
    const snapshot: AttemptLogSnapshot = { clock: engine.clock.frozen ? 'virtual' : 'real', dropped: recorder.dropped, attempts: recorder.list(key) };
    return { status: 200, body: snapshot };
  }
  if (method === 'DELETE') {
    recorder.clear(key);
    return { status: 200, body: { cleared: key ?? 'all' } };
  }
  return { status: 405, body: { error: `Failed to use ${method} on /__ratelimit${route}: send GET to read the attempt log, DELETE to clear it.` } };
}
