import axios, { type AxiosError, type AxiosResponse } from 'axios';
import axiosRetry from 'axios-retry';
import got, { type ExtendOptions } from 'got';
import ky, { HTTPError, type Options as KyOptions } from 'ky';
import pRetry from 'p-retry';
import { type Dispatcher, getGlobalDispatcher, RetryAgent, request, errors as undiciErrors } from 'undici';
import { authmatechWaitMs, jitteredRetry, ResponseError, throwIfRetryable, waitBeforeRetry } from '../../mocks/examples/real-client-retries.js';
import { createBackoffFetch, createBudgetPacer, createRetryAfterFetch, withBackoff } from '../../src/client/index.js';

// Real clients as their own docs configure them: each call sends one GET and resolves its final status.
// `tuned` is the configuration the README recommends; a factory builds fresh state (a pacer) per run.

export type Profile = 'reconlayer' | 'authmatech';
export type Client = (url: string, headers: Record<string, string>) => Promise<number>;
export type ClientFactory = () => Client;

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

/** Reads the body (freeing the connection) and gives the status. */
const drained = async (response: Response) => {
  await response.arrayBuffer();
  return response.status;
};

export const viaGot =
  (retry: object, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    // As the README shows it: pace before each attempt, observe every response.
    const hooks: ExtendOptions['hooks'] = {
      beforeRequest: [() => pacer.pace()],
      afterResponse: [
        (response) => {
          pacer.observe(response);
          return response;
        },
      ],
    };
    return (url, headers) => settleStatus(got(url, { headers, retry, hooks: withPacer ? hooks : {} }).then((r) => r.statusCode));
  };

export const viaKy =
  (retry: object | number, extra: object = {}, withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    const hooks: KyOptions['hooks'] = {
      beforeRequest: [() => pacer.pace()],
      afterResponse: [(_request, _options, response) => pacer.observe(response)],
    };
    return (url, headers) => settleStatus(ky(url, { headers, retry, hooks: withPacer ? hooks : {}, ...extra }).then((r) => r.status));
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

/** p-retry as its readme shows it: throw on a bad answer; the wait is awaited in `onFailedAttempt`. */
export const viaPRetry =
  (withPacer = false): ClientFactory =>
  () => {
    const pacer = createBudgetPacer();
    const send = async (url: string, headers: Record<string, string>) => {
      if (withPacer) await pacer.pace();
      const response = await fetch(url, { headers });
      pacer.observe(response);
      return throwIfRetryable(response);
    };
    return (url, headers) => settleStatus(pRetry(() => send(url, headers), { retries: 4, minTimeout: 0, onFailedAttempt: waitBeforeRetry }).then(drained));
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
    authmatech: viaUndici({ maxRetries: 4, maxTimeout: 60_000, retry: jitteredRetry }),
  },
  'axios-retry': {
    reconlayer: viaAxios({ retries: 4 }, {}, true),
    authmatech: viaAxios({ retries: 4, retryDelay: authmatechWaitMs }),
  },
  'p-retry': { reconlayer: viaPRetry(true), authmatech: viaPRetry() },
  // The seed snippet ignores retry-after, so ReconLayer clients swap it for the retry-after policy.
  'fetch + withBackoff / createRetryAfterFetch': { reconlayer: viaRetryAfterFetch, authmatech: viaWithBackoff },
};
