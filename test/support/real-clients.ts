import axios, { type AxiosError, type AxiosResponse } from 'axios';
import axiosRetry from 'axios-retry';
import got from 'got';
import ky, { HTTPError } from 'ky';
import pRetry from 'p-retry';
import { type Dispatcher, getGlobalDispatcher, RetryAgent, type RetryHandler, request, errors as undiciErrors } from 'undici';
import { createBackoffFetch, createBudgetPacer, createRetryAfterFetch, withBackoff } from '../../src/client/index.js';

// Real clients as their own docs configure them: each call sends one GET and resolves its final status.
// `tuned` is the configuration the README recommends; a factory builds fresh state (a pacer) per run.

export type Profile = 'reconlayer' | 'authmatech';
export type Client = (url: string, headers: Record<string, string>) => Promise<number>;
export type ClientFactory = () => Client;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Authmatech's schedule for clients that take a delay function: 1 s, 2 s, 4 s … cap 60 s, ±100 ms. */
export const authmatechDelayMs = (retry: number) => Math.min(60_000, 1000 * 2 ** (retry - 1)) + Math.floor(Math.random() * 200) - 100;

/** An error a client throws for an answer, read back as its status. */
export function statusOfError(error: unknown): number {
  if (error instanceof HTTPError) return error.response.status;
  if (error instanceof undiciErrors.RequestRetryError) return error.statusCode;
  if (error instanceof ResponseError) return error.response.status;
  const status = (error as AxiosError).response?.status ?? (error as { response?: { statusCode?: number } }).response?.statusCode;
  if (status === undefined) throw error;
  return status;
}
const settleStatus = (promise: Promise<number>) => promise.catch(statusOfError);

export const viaGot =
  (retry: object, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    const hooks = withPacer
      ? {
          beforeRequest: [async () => void (await pacer.pace())],
          afterResponse: [
            (response: Parameters<typeof pacer.observe>[0]) => {
              pacer.observe(response);
              return response;
            },
          ],
        }
      : {};
    return (url, headers) => settleStatus(got(url, { headers, retry, hooks: hooks as object }).then((r) => r.statusCode));
  };

export const viaKy =
  (retry: object | number, extra: object = {}, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    const hooks = withPacer
      ? {
          beforeRequest: [async () => void (await pacer.pace())],
          afterResponse: [(_request: Request, _options: unknown, response: Response) => void pacer.observe(response)],
        }
      : {};
    return (url, headers) => settleStatus(ky(url, { headers, retry, hooks, ...extra }).then((r) => r.status));
  };

export const viaAxios =
  (options: Parameters<typeof axiosRetry>[1], config: object = {}, withPacer = false): ClientFactory =>
  () => {
    const client = axios.create(config);
    if (withPacer) {
      const pacer = createBudgetPacer();
      client.interceptors.request.use(async (request) => {
        await pacer.pace();
        return request;
      });
      client.interceptors.response.use(
        (response: AxiosResponse) => {
          pacer.observe(response);
          return response;
        },
        (error: AxiosError) => {
          if (error.response) pacer.observe(error.response);
          throw error;
        },
      );
    }
    axiosRetry(client, options);
    return (url, headers) => settleStatus(client.get(url, { headers }).then((r) => r.status));
  };

/** undici's retry callback with Authmatech's jittered schedule (the default has no jitter); honours retry-after. */
export const jitteredUndiciRetry: RetryHandler.RetryCallback = (error, { state, opts }, callback) => {
  const { statusCode, headers } = error as InstanceType<typeof undiciErrors.RequestRetryError>;
  const { maxRetries = 5, statusCodes = [], methods = [] } = opts.retryOptions ?? {};
  if (statusCode === undefined || !statusCodes.includes(statusCode) || !methods.includes(opts.method) || state.counter > maxRetries) {
    callback(error);
    return;
  }
  const retryAfterMs = Number(headers?.['retry-after'] ?? 0) * 1000;
  setTimeout(() => callback(null), Math.max(retryAfterMs, authmatechDelayMs(state.counter)));
};

export const viaUndici =
  (options: ConstructorParameters<typeof RetryAgent>[1], base: () => Dispatcher = getGlobalDispatcher, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    return async (url, headers) => {
      if (withPacer) await pacer.pace();
      return settleStatus(
        request(url, { headers, dispatcher: new RetryAgent(base(), options) }).then(async (r) => {
          pacer.observe(r);
          await r.body.text();
          return r.statusCode;
        }),
      );
    };
  };

/** Reads the body (freeing the connection) and gives the status. */
const drained = async (response: Response) => {
  await response.arrayBuffer();
  return response.status;
};

/** What a p-retry user throws for an answer worth retrying, keeping the response for its status and headers. */
export class ResponseError extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

/** p-retry as its readme shows it: throw on a bad answer; the wait is awaited in `onFailedAttempt`. */
export const viaPRetry =
  (profile: Profile, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    return (url, headers) =>
      settleStatus(
        pRetry(
          async () => {
            if (withPacer) await pacer.pace();
            const response = await fetch(url, { headers });
            pacer.observe(response);
            if (response.status === 429 || response.status >= 500) throw new ResponseError(response);
            return response.status;
          },
          {
            retries: 4,
            minTimeout: 0,
            onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
              if (retriesLeft === 0 || !(error instanceof ResponseError)) return;
              const retryAfter = Number(error.response.headers.get('retry-after') ?? Number.NaN);
              const waitMs =
                profile === 'reconlayer' && retryAfter >= 0 ? retryAfter * 1000 + Math.floor(Math.random() * 100) : authmatechDelayMs(attemptNumber);
              await sleep(waitMs);
            },
          },
        ),
      );
  };

/** p-retry exactly as its readme's first example: any non-ok answer throws, defaults otherwise. */
export const viaPRetryReadme: ClientFactory = () => (url, headers) =>
  settleStatus(
    pRetry(async () => {
      const response = await fetch(url, { headers });
      if (!response.ok) throw new ResponseError(response);
      return response.status;
    }),
  );

export const viaWithBackoff: ClientFactory = () => (url, headers) => withBackoff(() => fetch(url, { headers })).then((r) => r.status);
export const viaRetryAfterFetch: ClientFactory = () => {
  const api = createRetryAfterFetch();
  return (url, headers) => api(url, { headers }).then(drained);
};
export const viaBackoffFetch: ClientFactory = () => {
  const api = createBackoffFetch();
  return (url, headers) => api(url, { headers }).then(drained);
};

/** The configuration the README recommends, per client and profile (ReconLayer's paces from x-ratelimit-remaining). */
export const TUNED: Record<string, Record<Profile, ClientFactory>> = {
  got: { reconlayer: viaGot({ limit: 4, maxRetryAfter: 120_000 }, true), authmatech: viaGot({ limit: 4, backoffLimit: 60_000 }) },
  ky: {
    reconlayer: viaKy({ limit: 4, maxRetryAfter: 120_000 }, {}, true),
    authmatech: viaKy({ limit: 4, delay: (n: number) => 1000 * 2 ** (n - 1), backoffLimit: 60_000, jitter: (ms: number) => ms + Math.random() * 200 - 100 }),
  },
  undici: {
    reconlayer: viaUndici({ maxRetries: 4, maxTimeout: 120_000 }, getGlobalDispatcher, true),
    authmatech: viaUndici({ maxRetries: 4, maxTimeout: 60_000, retry: jitteredUndiciRetry }),
  },
  'axios-retry': {
    reconlayer: viaAxios({ retries: 4 }, {}, true),
    authmatech: viaAxios({ retries: 4, retryDelay: authmatechDelayMs }),
  },
  'p-retry': { reconlayer: viaPRetry('reconlayer', true), authmatech: viaPRetry('authmatech') },
  // The seed snippet ignores retry-after, so ReconLayer clients swap it for the retry-after policy.
  'fetch + withBackoff / createRetryAfterFetch': { reconlayer: viaRetryAfterFetch, authmatech: viaWithBackoff },
};
