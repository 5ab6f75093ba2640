import { formatAttempt, type RecordedAttempt } from './attempt.js';

/** One broken rule: which check, the doc clause, what happened, how to fix it, and the attempts that show it. */
export interface RetryViolation {
  check: string;
  clause: string;
  message: string;
  fix: string;
  seqs: number[];
}

/** How much of a report to print. */
export interface ReportLimits {
  /** Findings shown per check; the rest are counted. Default 3. */
  findingsPerCheck?: number;
  /** A log up to this long is printed whole; a longer one is summarised. Default 20. */
  wholeLogUpTo?: number;
}

function statusCounts(attempts: readonly RecordedAttempt[]): string {
  const counts = new Map<number, number>();
  for (const a of attempts) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status} ×${n}`).join(', ');
}

/**
 * The attempts worth reading: all of a short log; of a long one the first and last three and those the
 * shown findings cite, with each gap folded into one line that counts its statuses.
 */
export function summariseAttempts(attempts: readonly RecordedAttempt[], citedSeqs: ReadonlySet<number>, wholeLogUpTo = 20): string {
  const sorted = [...attempts].sort((a, b) => a.seq - b.seq);
  const firstAtMs = sorted[0]?.atMs ?? 0;
  if (sorted.length <= wholeLogUpTo) return sorted.map((a) => formatAttempt(a, firstAtMs)).join('\n');
  const keep = (a: RecordedAttempt, i: number) => i < 3 || i >= sorted.length - 3 || citedSeqs.has(a.seq);
  const lines: string[] = [];
  let gap: RecordedAttempt[] = [];
  const flush = () => {
    if (gap.length > 0) lines.push(`  … ${gap.length} more (#${gap[0]?.seq}–#${gap.at(-1)?.seq}): ${statusCounts(gap)}`);
    gap = [];
  };
  for (const [i, a] of sorted.entries()) {
    if (!keep(a, i)) {
      gap.push(a);
      continue;
    }
    flush();
    lines.push(formatAttempt(a, firstAtMs));
  }
  flush();
  return lines.join('\n');
}

/** Formats violations and the log as the message of a failed assertion, grouped by check and summarised. */
export function formatRetryViolations(
  violations: readonly RetryViolation[],
  attempts: readonly RecordedAttempt[],
  rulesName?: string,
  limits: ReportLimits = {},
): string {
  const perCheck = limits.findingsPerCheck ?? 3;
  const byCheck = new Map<string, RetryViolation[]>();
  for (const v of violations) byCheck.set(v.check, [...(byCheck.get(v.check) ?? []), v]);
  const cited = new Set<number>();
  const lines = [`Failed to verify the client's retries against the ${rulesName ? `${rulesName} ` : ''}rules: ${byCheck.size} rule(s) broken.`];
  for (const [check, found] of byCheck) {
    const [first] = found as [RetryViolation];
    lines.push(`  ✗ ${check}${found.length > 1 ? ` (${found.length} findings)` : ''}: ${first.message}.`);
    for (const v of found.slice(1, perCheck)) lines.push(`      ${v.message}.`);
    if (found.length > perCheck) lines.push(`      … and ${found.length - perCheck} more like it.`);
    // A finding can cite a whole chain; its first three and last two attempts tell the story.
    for (const v of found.slice(0, perCheck)) for (const seq of [...v.seqs.slice(0, 3), ...v.seqs.slice(-2)]) cited.add(seq);
    lines.push(`    Doc: ${first.clause}`, `    Fix: ${first.fix}.`);
  }
  const whole = attempts.length <= (limits.wholeLogUpTo ?? 20);
  lines.push(whole ? `Attempts (${attempts.length}):` : `Attempts (${attempts.length}; the first and last three and those cited above):`);
  lines.push(summariseAttempts(attempts, cited, limits.wholeLogUpTo));
  lines.push('See docs/client-testing.md for each check; pass your API’s own numbers as rules if they differ.');
  return lines.join('\n');
}
