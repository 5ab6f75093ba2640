import { compilePathPattern, type PathMatcher } from '../core/path-pattern.js';
import { describeStep, type ScriptStep } from './scripted-steps.js';

/** Which requests a script answers: `GET /v1/x`, `/v1/api/**` (any method) or `*` (everything). */
export type ScriptMatch = string | { method?: string; path?: string };

/** A script as listed by `list()` (the control API's `GET /__ratelimit/faults`). */
export interface PendingScript {
  id: number;
  method: string | undefined;
  path: string;
  steps: Array<ScriptStep & { left: number }>;
}

interface Script {
  id: number;
  method: string | undefined;
  path: string;
  matches: PathMatcher;
  steps: Array<{ step: ScriptStep; left: number }>;
}

function parseMatch(match: ScriptMatch): { method: string | undefined; path: string } {
  if (typeof match !== 'string') return { method: match.method?.toUpperCase(), path: match.path ?? '/**' };
  const [first, second] = match.trim().split(/\s+/, 2);
  if (second !== undefined) return { method: first?.toUpperCase(), path: second };
  return { method: undefined, path: first === '*' || first === undefined ? '/**' : first };
}

/**
 * The scripts of one API: each a method, a path pattern (matched against the request's canonical path) and
 * steps. A request takes one use of the next step of the first script that matches, as nock's interceptors
 * are consumed; a script with no steps left is dropped, and the API answers as usual again.
 */
export function createScriptQueue() {
  let scripts: Script[] = [];
  let nextId = 1;
  return {
    /** Adds a script; throws a TypeError naming the problem when the path is not absolute. Returns its id. */
    add(match: ScriptMatch, steps: readonly ScriptStep[]): number {
      const { method, path } = parseMatch(match);
      if (!path.startsWith('/')) {
        throw new TypeError(
          `Failed to script "${typeof match === 'string' ? match : path}": the path must start with "/". Write e.g. "GET /v1/payment-intents" or "/v1/api/**".`,
        );
      }
      const matches = path === '/**' ? () => true : compilePathPattern(path);
      const id = nextId++;
      scripts.push({ id, method, path, matches, steps: steps.filter((s) => s.times > 0).map((step) => ({ step, left: step.times })) });
      return id;
    },
    /** Takes one use of the next step of the first script that matches the request, if any. */
    take(method: string, path: string): ScriptStep | undefined {
      if (scripts.length === 0) return undefined;
      const script = scripts.find((s) => s.steps.length > 0 && (!s.method || s.method === method) && s.matches(path));
      const head = script?.steps[0];
      if (!script || !head) return undefined;
      head.left -= 1;
      if (head.left <= 0) script.steps.shift();
      scripts = scripts.filter((s) => s.steps.length > 0);
      return head.step;
    },
    /** Steps not used yet, one line per script: `GET http://api.test/v1/x: 429 ×2, then pass ×1`. */
    pending(baseUrl: string): string[] {
      return scripts.map((s) => `${s.method ?? '*'} ${baseUrl}${s.path}: ${s.steps.map(({ step, left }) => describeStep(step, left)).join(', then ')}`);
    },
    /** The scripts with steps left, as data. */
    list(): PendingScript[] {
      return scripts.map((s) => ({ id: s.id, method: s.method, path: s.path, steps: s.steps.map(({ step, left }) => ({ ...step, left })) }));
    },
    get size(): number {
      return scripts.length;
    },
    clear(): void {
      scripts = [];
    },
  };
}

/** The queue `createScriptQueue` returns. */
export type ScriptQueue = ReturnType<typeof createScriptQueue>;
