/** Stable error codes; each names one kind of user mistake the CLI reports in one line with exit code 2. */
export type RateLimitContractErrorCode =
  | 'ERR_RLC_USAGE'
  | 'ERR_RLC_PROFILE'
  | 'ERR_RLC_SPEC_READ'
  | 'ERR_RLC_SPEC_INVALID'
  | 'ERR_RLC_POLICY'
  | 'ERR_RLC_ENV'
  | 'ERR_RLC_DURATION'
  | 'ERR_RLC_CREDENTIALS'
  | 'ERR_RLC_LISTEN'
  | 'ERR_RLC_TARGET'
  | 'ERR_RLC_STORE';

/**
 * The project error: a stable `code` and a message in the form
 * "Failed to <verb> <thing>: <reason>. <how to fix>".
 */
export class RateLimitContractError extends Error {
  readonly code: RateLimitContractErrorCode;
  constructor(code: RateLimitContractErrorCode, message: string) {
    super(message);
    this.name = 'RateLimitContractError';
    this.code = code;
  }
}

/** True for errors that are a user's mistake (printed as one line, exit 2), not a bug. */
export function isUserError(error: unknown): error is RateLimitContractError {
  return error instanceof RateLimitContractError;
}
