import type { RequestTarget } from '../core/request-target.js';
import { parseRequestTarget } from '../core/request-target.js';
import type { ScopeVerdict } from '../core/scope.js';

/** A request target as the handler needs it: parsed once, with its scope verdict. Shared: never mutate. */
export interface ClassifiedTarget {
  readonly target: Readonly<RequestTarget>;
  readonly verdict: ScopeVerdict;
}

/** Only short targets are remembered, so the cache stays small whatever callers send. */
const MAX_CACHED_LENGTH = 256;

/**
 * Parses and classifies request targets, remembering the last `capacity` distinct ones: clients send the
 * same few URLs over and over, and parsing and classifying is a deterministic function of the string.
 * When full it starts over, so a flood of distinct URLs costs at most one Map insert per request more.
 */
export function createTargetCache(classify: (target: RequestTarget) => ScopeVerdict, capacity = 1024) {
  const cache = new Map<string, ClassifiedTarget>();
  return (url: string): ClassifiedTarget => {
    const hit = cache.get(url);
    if (hit !== undefined) return hit;
    const target = parseRequestTarget(url);
    const entry: ClassifiedTarget = { target, verdict: classify(target) };
    if (url.length <= MAX_CACHED_LENGTH) {
      if (cache.size >= capacity) cache.clear();
      cache.set(url, entry);
    }
    return entry;
  };
}
