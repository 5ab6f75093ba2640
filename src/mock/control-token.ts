import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RateLimitContractError } from '../core/errors.js';

/** The header a caller sends the control token in. */
export const CONTROL_TOKEN_HEADER = 'x-ratelimit-control-token';
const MIN_LENGTH = 16;
/** Well under node's 16 KB limit for a request head. */
const MAX_LENGTH = 1024;
const HOW = 'Pass a long random token of letters and digits, e.g. from `openssl rand -hex 16`';

/**
 * Refuses a control token no client could send as it is: shorter than 16 characters, longer than 1,024,
 * with spaces or tabs at either end (HTTP strips them from a header value, so the token as sent could
 * never match), or with a character outside visible ASCII and the inner space (a control character
 * cannot be sent at all; non-ASCII text arrives as other bytes than it was typed).
 * `where` names the culprit: `--control-token` or `the controlToken option`.
 */
export function checkControlToken(token: string, where: string): void {
  const fail = (reason: string) => {
    throw new RateLimitContractError('ERR_RLC_USAGE', `Failed to read ${where}: ${reason}. ${HOW}.`);
  };
  if (token.length < MIN_LENGTH) fail(`it is shorter than ${MIN_LENGTH} characters`);
  if (token.length > MAX_LENGTH) fail(`it is longer than ${MAX_LENGTH} characters, more than a header should carry`);
  if (/^[ \t]|[ \t]$/.test(token)) fail('it starts or ends with a space or tab, which HTTP strips from a header value, so no client could send it as it is');
  const bad = /[^\x20-\x7e]/u.exec(token);
  if (bad) {
    const code = `U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    fail(`character ${bad.index + 1} (${code}) is not visible ASCII, so a client could not send it as it is in a header`);
  }
}

/**
 * Compares a sent token with the configured one in constant time: both are reduced to an HMAC-SHA256
 * digest under a key drawn at start-up, and the two 32-byte digests are compared, so neither the time
 * taken nor an early return depends on the token's length or on where a guess first differs. `equal` is
 * node's `timingSafeEqual`; a test passes its own to see that every check compares two 32-byte digests.
 */
export function createTokenCheck(token: string, equal: (a: Uint8Array, b: Uint8Array) => boolean = timingSafeEqual) {
  const key = randomBytes(32);
  const digest = (value: string) => createHmac('sha256', key).update(value, 'latin1').digest();
  const expected = digest(token);
  return (given: string | string[] | undefined): boolean => {
    // A header sent twice arrives as an array: it is never the token, but it is compared all the same.
    const same = equal(digest(typeof given === 'string' ? given : ''), expected);
    return typeof given === 'string' && same;
  };
}
