import { RateLimitContractError } from '../core/errors.js';

/** Where an intercepted API lives: its origin, and the base path its routes sit under (no trailing slash). */
export interface BaseUrl {
  origin: string;
  prefix: string;
  /** The path and query of a request URL below the prefix (`/v1/x?y`), or undefined when it is outside. */
  pathOf(url: URL): string | undefined;
}

/** Reads the base URL the nock and MSW helpers answer at; one-line errors say what to pass. */
export function parseBaseUrl(baseUrl: string, helper: string): BaseUrl {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to mock the API at "${baseUrl}": it is not an absolute URL. Pass baseUrl like "https://api.reconlayer.test".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RateLimitContractError(
      'ERR_RLC_USAGE',
      `Failed to mock the API at "${baseUrl}": ${helper} intercepts http and https only. Pass an http(s) baseUrl.`,
    );
  }
  const origin = url.origin;
  const prefix = url.pathname.replace(/\/+$/, '');
  return {
    origin,
    prefix,
    pathOf(request) {
      if (request.origin !== origin) return undefined;
      const path = request.pathname + request.search;
      if (prefix === '') return path;
      if (path === prefix || path.startsWith(`${prefix}?`)) return `/${path.slice(prefix.length)}`;
      return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
    },
  };
}
