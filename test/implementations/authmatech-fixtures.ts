import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// What every Authmatech reference server needs besides its router and limiter: the test keys and the
// standard envelope its answers come in.

export const AUTHMATECH_CREDENTIALS = join(import.meta.dirname, '..', '..', 'mocks', 'authmatech.credentials.json');

/** X-CLIENT-ID → X-API-KEY, from the test keys. */
export function loadClients(file = AUTHMATECH_CREDENTIALS): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { principals: Array<{ credentials: Array<Record<string, string>> }> };
  const keys = new Map<string, string>();
  for (const p of parsed.principals) for (const c of p.credentials) if (c['x-client-id'] && c['x-api-key']) keys.set(c['x-client-id'], c['x-api-key']);
  return keys;
}

/** The documented 429 envelope. */
export const ENVELOPE_429 = { success: false, messages: [{ type: 'FAILURE', message: 'Rate limit exceeded.', httpStatus: 'TOO_MANY_REQUESTS' }], data: null };
export const ok = (message: string, data: unknown) => ({ success: true, messages: [{ type: 'SUCCESS', message, httpStatus: 'OK' }], data });
export const failure = (message: string, httpStatus: string) => ({ success: false, messages: [{ type: 'FAILURE', message, httpStatus }], data: null });

export const verification = () =>
  ok('Verification started.', { sessionId: 'ses_8f2c1a', status: 'PENDING', phoneNumber: '+14155550123', createdAt: '2024-05-14T09:30:00Z' });
export const session = (sessionId: string) =>
  ok('Session found.', { sessionId, status: 'VERIFIED', phoneNumber: '+14155550123', createdAt: '2024-05-14T09:30:00Z' });
export const usage = () => ok('Usage loaded.', { from: '2024-05-01', to: '2024-05-02', totalRequests: 0, days: [] });
export const importQueued = () =>
  ok('Import queued.', { importId: 'imp_51b7e0', status: 'QUEUED', format: 'CSV', recordsProcessed: 0, createdAt: '2024-05-14T09:30:00Z' });
export const importFound = (importId: string) =>
  ok('Import found.', { importId, status: 'RUNNING', format: 'CSV', recordsProcessed: 1200, createdAt: '2024-05-14T09:30:00Z' });
