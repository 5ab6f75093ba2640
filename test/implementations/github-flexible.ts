import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Defects a broken variant switches on; none gives the correct app. */
export type GithubDefect =
  /** x-ratelimit-reset sent as the seconds until the reset, not the epoch second the docs promise. */
  | 'reset-as-seconds'
  /** The search limiter mounted on the whole app instead of the search route. */
  | 'search-limit-everywhere'
  /** A write spends one point of the secondary limit instead of five. */
  | 'write-cost-ignored';

/** A limit as the server is configured: points per duration (seconds), and the points for unauthenticated callers. */
export interface PointsPerWindow {
  points: number;
  seconds: number;
  anonymousPoints?: number;
}

export interface GithubOptions {
  core?: PointsPerWindow;
  search?: PointsPerWindow;
  secondary?: PointsPerWindow;
  /** Users and their tokens (a credentials file); the example's by default. */
  credentialsFile?: string;
  defect?: GithubDefect;
}

/** The example's credentials file. */
export const GITHUB_CREDENTIALS = join(import.meta.dirname, '..', '..', 'mocks', 'examples', 'github-like.credentials.json');
const DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const REPOSITORY = { id: 1296269, full_name: 'octocat/Hello-World', private: false, stargazers_count: 80 };
const ISSUE = { number: 1347, title: 'Found a bug', state: 'open' };

function loadUsers(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { principals: Array<{ id: string; credentials: Array<Record<string, string>> }> };
  const users = new Map<string, string>();
  for (const p of parsed.principals) for (const c of p.credentials) if (c.authorization) users.set(c.authorization.replace(/^Bearer\s+/i, ''), p.id);
  return users;
}

/** `6 seconds`, `1 minute`, `1 hour`: the window as the message words it. */
const windowWords = (seconds: number): string => {
  const [n, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
};

/**
 * A GitHub-like REST API (openapi/examples/github-like.yaml) on Express 5 and rate-limiter-flexible, as its
 * README and wiki's Express examples show: one RateLimiterMemory per limit, consumed by middlewares in the
 * order the docs list the limits (the primary limit, core or search's own, then the secondary limit), keyed
 * by the token's user, else the IP with the unauthenticated points; GitHub's headers written from the
 * primary limiter's RateLimiterRes (x-ratelimit-reset in epoch seconds); 429 for a primary limit (no
 * retry-after), 403 with retry-after for the secondary one, whose points a write spends five of.
 */
export function createGithubApp(options: GithubOptions = {}): Express {
  const users = loadUsers(options.credentialsFile ?? GITHUB_CREDENTIALS);
  const core = options.core ?? { points: 5000, seconds: 3600, anonymousPoints: 60 };
  const search = options.search ?? { points: 30, seconds: 60, anonymousPoints: 10 };
  const secondary = options.secondary ?? { points: 900, seconds: 60 };
  const userOf = (req: Request) => users.get((req.get('authorization') ?? '').replace(/^Bearer\s+/i, ''));
  const keyOf = (req: Request) => userOf(req) ?? req.ip ?? 'unknown';

  /** A primary limit: its headers on every response, 429 when spent. */
  const primary = (name: string, limit: PointsPerWindow) => {
    const named = new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.seconds });
    const anonymous = new RateLimiterMemory({ keyPrefix: `${name}-anonymous`, points: limit.anonymousPoints ?? limit.points, duration: limit.seconds });
    return async (req: Request, res: Response, next: NextFunction) => {
      const authenticated = userOf(req) !== undefined;
      const limiter = authenticated ? named : anonymous;
      const points = authenticated ? limit.points : (limit.anonymousPoints ?? limit.points);
      const headers = (result: RateLimiterRes) => {
        const reset = options.defect === 'reset-as-seconds' ? Math.ceil(result.msBeforeNext / 1000) : Math.ceil((Date.now() + result.msBeforeNext) / 1000);
        res.set({
          'x-ratelimit-limit': String(points),
          'x-ratelimit-remaining': String(result.remainingPoints),
          'x-ratelimit-used': String(points - result.remainingPoints),
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-resource': name,
        });
      };
      try {
        headers(await limiter.consume(keyOf(req)));
        next();
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        headers(rejection);
        res.status(429).json({
          message: `API rate limit of ${points} requests per ${windowWords(limit.seconds)} exceeded. Wait for the time in x-ratelimit-reset.`,
          documentation_url: DOCS,
        });
      }
    };
  };
  const secondaryLimiter = new RateLimiterMemory({ keyPrefix: 'secondary', points: secondary.points, duration: secondary.seconds });
  /** The secondary limit: no headers of its own; 403 with retry-after when spent. */
  const secondaryLimit = (points: number) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      await secondaryLimiter.consume(keyOf(req), points);
      next();
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) return next(rejection);
      res.set('retry-after', String(Math.ceil(rejection.msBeforeNext / 1000)));
      res.status(403).json({
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: `${DOCS}#about-secondary-rate-limits`,
      });
    }
  };
  const coreLimit = primary('core', core);
  const searchLimit = primary('search', search);
  const read = [coreLimit, secondaryLimit(1)];
  const write = [coreLimit, secondaryLimit(options.defect === 'write-cost-ignored' ? 1 : 5)];
  const requireUser = (req: Request, res: Response, next: NextFunction) => {
    if (userOf(req)) next();
    else res.status(401).json({ message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user' });
  };

  const app = express();
  app.use(express.json());
  app.get('/rate_limit', (_req, res) => {
    res.json({ resources: { core: { limit: core.points } } });
  });
  if (options.defect === 'search-limit-everywhere') app.use(searchLimit);
  app.get('/repos/:owner/:repo', ...read, (_req, res) => {
    res.json(REPOSITORY);
  });
  app.get('/repos/:owner/:repo/issues', ...read, (_req, res) => {
    res.json([ISSUE]);
  });
  app.post('/repos/:owner/:repo/issues', ...write, requireUser, (req, res) => {
    res.status(201).json({ ...ISSUE, number: 1348, title: String((req.body as { title?: string }).title ?? '') });
  });
  app.get('/search/repositories', ...(options.defect === 'search-limit-everywhere' ? [] : [searchLimit]), secondaryLimit(1), (_req, res) => {
    res.json({ total_count: 1, items: [REPOSITORY] });
  });
  app.get('/user', ...read, requireUser, (req, res) => {
    res.json({ login: userOf(req), id: 583231 });
  });
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startGithub(options: GithubOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(createGithubApp(options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
