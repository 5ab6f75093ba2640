import { compilePathPatterns } from './path-pattern.js';
import type { RateLimitPolicy } from './policy.js';
import { canonicalPath, type RequestTarget } from './request-target.js';

/** Where a request stands: exempt (never limited, no headers), limited (spends budget) or outside the scope. */
export type ScopeVerdict = 'exempt' | 'limited' | 'unlimited';

function fullyDecoded(path: string): string | undefined {
  try {
    return canonicalPath(decodeURIComponent(path));
  } catch {
    return undefined;
  }
}

/**
 * How lenient servers read a path, for budget coverage only: every %XX decoded (byte-wise, so malformed
 * UTF-8 cannot throw), `;params` dropped from segments (Tomcat, Spring) and `\` read as `/` (IIS).
 */
function lenientPath(path: string): string {
  const decoded = path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return canonicalPath(decoded.replace(/\\/g, '/').replace(/;[^/]*/g, ''));
}

/**
 * Classifies request targets. Exemption needs a clean path that matches exactly; budget coverage is
 * conservative: the raw path, the canonical path, the fully decoded path and the lenient path are each
 * tested, case-insensitively, so a trick that might route to a limited operation still spends budget.
 */
export function createScopeClassifier(policy: Pick<RateLimitPolicy, 'include' | 'exempt'>) {
  const isExempt = compilePathPatterns(policy.exempt);
  const everything = policy.include.includes('/**') || policy.include.includes('/*');
  const isIncluded = compilePathPatterns(policy.include, true);
  return (target: RequestTarget): ScopeVerdict => {
    if (target.clean && isExempt(target.path)) return 'exempt';
    if (everything || isIncluded(target.path) || isIncluded(target.rawPath)) return 'limited';
    if (target.rawPath.includes('%')) {
      const decoded = fullyDecoded(target.rawPath);
      if (decoded !== undefined && isIncluded(decoded)) return 'limited';
    }
    if (/[%;\\]/.test(target.rawPath) && isIncluded(lenientPath(target.rawPath))) return 'limited';
    return 'unlimited';
  };
}
