import { compilePathPatterns } from '../core/path-pattern.js';
import type { HeaderNames, RateLimitPolicy } from '../core/policy.js';
import type { PolicyPart } from './lint-policy.js';
import { matchRejectionBody } from './match-rejection-body.js';
import { declaredHeaders, escapePointerToken, isJsonMediaType, mediaExamples, mediaTypes, type SpecNode, type SpecOperation } from './spec-operations.js';

/** Where an operation stands under the policy: spends budget, exempt, or outside the include patterns. */
export type OperationScope = 'limited' | 'exempt' | 'unlimited';

/** An operation with its scope under the policy. */
export interface ScopedOperation extends SpecOperation {
  scope: OperationScope;
}

/** What a contract rule sees. */
export interface ContractContext {
  document: SpecNode;
  policy: RateLimitPolicy;
  operations: ScopedOperation[];
}

/** A contract problem: a JSON pointer into the document and a message. */
export interface ContractFinding {
  pointer: string;
  message: string;
}

/** A contract rule: checks are data (an id, the clause it enforces, a function). */
export interface ContractRule {
  id: string;
  description: string;
  /** The policy parts it reads: it is not run while one of them is broken. */
  uses: readonly PolicyPart[];
  check(ctx: ContractContext): ContractFinding[];
}

/**
 * Scopes each operation by its path template: a `{param}` segment is one segment, so it matches `*`
 * and `**` but never a literal segment of a pattern.
 */
export function scopeOperations(operations: SpecOperation[], policy: Pick<RateLimitPolicy, 'include' | 'exempt'>): ScopedOperation[] {
  const isExempt = compilePathPatterns(policy.exempt);
  const isIncluded = compilePathPatterns(policy.include);
  return operations.map((op) => ({ ...op, scope: isExempt(op.path) ? 'exempt' : isIncluded(op.path) ? 'limited' : 'unlimited' }));
}

const label = (op: SpecOperation) => `${op.method.toUpperCase()} ${op.path}`;
const at = (op: SpecOperation, code: string) => `${op.responsesPointer}/${escapePointerToken(code)}`;
const isSuccess = (code: string) => /^2(?:\d\d|XX)$/i.test(code);
const rejectionOf = (op: SpecOperation, policy: RateLimitPolicy) => op.responses.get(String(policy.rejection.status));

function namedHeaders(names: HeaderNames, keys: Array<keyof HeaderNames>): Array<[keyof HeaderNames, string]> {
  return keys.flatMap((key) => (names[key] ? [[key, names[key].toLowerCase()] as [keyof HeaderNames, string]] : []));
}

function missingHeaders(response: SpecNode, wanted: Array<[keyof HeaderNames, string]>): string[] {
  const declared = declaredHeaders(response);
  return wanted.filter(([, name]) => !declared.has(name)).map(([key, name]) => `${name} (headers.${key})`);
}

const outOfScope = (op: ScopedOperation) =>
  op.scope === 'exempt' ? 'is exempt from the rate limit (x-rate-limit/scope/exempt)' : 'is outside x-rate-limit/scope/include';

/** The contract between an `x-rate-limit` policy and the operations the document declares. */
export const CONTRACT_RULES: readonly ContractRule[] = [
  {
    id: 'x-rate-limit/rejection-response',
    uses: ['scope', 'rejection'],
    description: 'Every limited operation declares the rejection status (e.g. 429) among its responses.',
    check: ({ policy, operations }) =>
      operations
        .filter((op) => op.scope === 'limited' && !rejectionOf(op, policy))
        .map((op) => ({
          pointer: op.responsesPointer,
          message: `${label(op)} is rate limited but declares no ${policy.rejection.status} response; add one (e.g. $ref a shared components/responses entry) describing the rejection`,
        })),
  },
  {
    id: 'x-rate-limit/rejection-content-type',
    uses: ['scope', 'rejection'],
    description: "The rejection response declares the policy's rejection content type.",
    check: ({ document, policy, operations }) => {
      const wanted = policy.rejection.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
      return operations.flatMap((op) => {
        const response = op.scope === 'limited' ? rejectionOf(op, policy) : undefined;
        if (!response) return [];
        const types = mediaTypes(document, response).map(([type]) => type.split(';')[0]?.trim().toLowerCase());
        if (types.includes(wanted)) return [];
        return [
          {
            pointer: `${at(op, String(policy.rejection.status))}/content`,
            message: `${label(op)} declares its ${policy.rejection.status} response as ${types.length ? types.join(', ') : 'no content'}, but the policy sends ${wanted}; declare content "${wanted}"`,
          },
        ];
      });
    },
  },
  {
    id: 'x-rate-limit/rejection-example',
    uses: ['scope', 'rejection'],
    description: "A JSON example of the rejection response equals the policy's rejection body; {after} and the other placeholders match any non-empty text.",
    check: ({ document, policy, operations }) =>
      operations.flatMap((op) => {
        const response = op.scope === 'limited' ? rejectionOf(op, policy) : undefined;
        if (!response) return [];
        return mediaTypes(document, response)
          .filter(([type]) => isJsonMediaType(type))
          .flatMap(([type, media]) =>
            mediaExamples(document, media).flatMap(({ name, value }) => {
              const mismatch = matchRejectionBody(policy.rejection.body, value);
              if (!mismatch) return [];
              return [
                {
                  pointer: `${at(op, String(policy.rejection.status))}/content/${escapePointerToken(type)}/${name}`,
                  message: `${label(op)}: the ${policy.rejection.status} example differs from x-rate-limit/rejection/body at ${mismatch.at || '(the body)'}: expected ${mismatch.expected}, got ${mismatch.actual}; make the example and the policy agree`,
                },
              ];
            }),
          );
      }),
  },
  {
    id: 'x-rate-limit/success-headers',
    uses: ['scope', 'headers'],
    description: 'The 2xx responses of limited operations declare the limit, remaining and reset headers the policy sends.',
    check: ({ policy, operations }) => {
      const wanted = namedHeaders(policy.headers, ['limit', 'remaining', 'reset']);
      if (wanted.length === 0) return [];
      return operations
        .filter((op) => op.scope === 'limited')
        .flatMap((op) =>
          [...op.responses]
            .filter(([code]) => isSuccess(code))
            .flatMap(([code, response]) => {
              const missing = missingHeaders(response, wanted);
              return missing.length === 0
                ? []
                : [
                    {
                      pointer: at(op, code),
                      message: `${label(op)} ${code} does not declare the rate-limit header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that the policy sends`,
                    },
                  ];
            }),
        );
    },
  },
  {
    id: 'x-rate-limit/rejection-headers',
    uses: ['scope', 'rejection', 'headers'],
    description: 'The rejection response of limited operations declares the limit, remaining, reset and retryAfter headers the policy sends.',
    check: ({ policy, operations }) => {
      const wanted = namedHeaders(policy.headers, ['limit', 'remaining', 'reset', 'retryAfter']);
      if (wanted.length === 0) return [];
      return operations.flatMap((op) => {
        const response = op.scope === 'limited' ? rejectionOf(op, policy) : undefined;
        const missing = response ? missingHeaders(response, wanted) : [];
        if (missing.length === 0) return [];
        return [
          {
            pointer: at(op, String(policy.rejection.status)),
            message: `${label(op)} ${policy.rejection.status} does not declare the rate-limit header${missing.length > 1 ? 's' : ''} ${missing.join(', ')} that the policy sends on a rejection`,
          },
        ];
      });
    },
  },
  {
    id: 'x-rate-limit/exempt-rejection',
    uses: ['scope', 'rejection'],
    description: 'Operations that are not limited (exempt, or outside the include patterns) declare no rejection status.',
    check: ({ policy, operations }) =>
      operations
        .filter((op) => op.scope !== 'limited' && rejectionOf(op, policy))
        .map((op) => ({
          pointer: at(op, String(policy.rejection.status)),
          message: `${label(op)} ${outOfScope(op)} but declares a ${policy.rejection.status} response; remove it, or change x-rate-limit/scope`,
        })),
  },
  {
    id: 'x-rate-limit/exempt-headers',
    uses: ['scope', 'headers'],
    description: "Operations that are not limited declare none of the policy's rate-limit headers.",
    check: ({ policy, operations }) => {
      const names = namedHeaders(policy.headers, ['limit', 'remaining', 'reset', 'retryAfter']).map(([, name]) => name);
      return operations
        .filter((op) => op.scope !== 'limited')
        .flatMap((op) =>
          [...op.responses].flatMap(([code, response]) => {
            const found = [...declaredHeaders(response)].filter((name) => names.includes(name));
            return found.length === 0
              ? []
              : [
                  {
                    pointer: `${at(op, code)}/headers`,
                    message: `${label(op)} ${outOfScope(op)} but its ${code} response declares ${found.join(', ')}; remove ${found.length > 1 ? 'them' : 'it'}, as the server sends no rate-limit headers there`,
                  },
                ];
          }),
        );
    },
  },
];
