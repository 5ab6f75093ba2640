import { sentHeaderNames } from '../core/headers/header-names.js';
import { limitsFor, operationPolicyOf } from '../core/operation-policy.js';
import { DEFAULT_LIMIT_NAME } from '../core/parse-policy.js';
import { compilePathPatterns } from '../core/path-pattern.js';
import type { LimitPolicy, RateLimitPolicy } from '../core/policy.js';
import type { PolicyPart } from './lint-policy.js';
import { matchRejectionBody } from './match-rejection-body.js';
import {
  declaredHeaders,
  escapePointerToken,
  isJsonMediaType,
  mediaExamples,
  mediaTypes,
  resolveNode,
  type SpecNode,
  type SpecOperation,
} from './spec-operations.js';

/** Where an operation stands under the policy: spends budget, exempt, or outside the include patterns. */
export type OperationScope = 'limited' | 'exempt' | 'unlimited';

/** An operation with its scope under the policy and the limits a request to it spends (its own and the root's). */
export interface ScopedOperation extends SpecOperation {
  scope: OperationScope;
  limits: LimitPolicy[];
  /** Whether it carries an `x-rate-limit` of its own. */
  ownPolicy: boolean;
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
 * Scopes each operation by its path template (a `{param}` segment is one segment, so it matches `*` and
 * `**` but never a literal segment of a pattern) and lists the limits that apply to it.
 */
export function scopeOperations(operations: SpecOperation[], policy: RateLimitPolicy): ScopedOperation[] {
  const isExempt = compilePathPatterns(policy.exempt);
  const isIncluded = compilePathPatterns(policy.include);
  return operations.map((op) => {
    const own = operationPolicyOf(policy, op.method, op.path);
    return {
      ...op,
      scope: isExempt(op.path) ? 'exempt' : isIncluded(op.path) ? 'limited' : 'unlimited',
      limits: limitsFor(policy, own),
      ownPolicy: own !== undefined,
    };
  });
}

const label = (op: SpecOperation) => `${op.method.toUpperCase()} ${op.path}`;
const at = (op: SpecOperation, code: string) => `${op.responsesPointer}/${escapePointerToken(code)}`;
const isSuccess = (code: string) => /^2(?:\d\d|XX)$/i.test(code);
const plural = (names: string[], one: string, many: string) => (names.length > 1 ? many : one);

/** The limits of an operation grouped by the rejection status they answer with (GitHub: 429 and 403). */
function byStatus(limits: readonly LimitPolicy[]): Map<number, LimitPolicy[]> {
  const out = new Map<number, LimitPolicy[]>();
  for (const limit of limits) out.set(limit.rejection.status, [...(out.get(limit.rejection.status) ?? []), limit]);
  return out;
}

const names = (limits: readonly LimitPolicy[]) => limits.map((l) => l.name).join(', ');
/** ` (the rejection of burst)`; nothing for a one-limit policy, whose only limit needs no name. */
const whose = (limits: readonly LimitPolicy[]) => (limits.every((l) => l.name === DEFAULT_LIMIT_NAME) ? '' : ` (the rejection of ${names(limits)})`);

/** Where the policy asks for a header: `headers.retryAfter`, `limits/tokens/headers.remaining`, `headers.style draft-12`. */
function originOf(policy: RateLimitPolicy, limits: readonly LimitPolicy[], name: string): string {
  for (const [field, value] of Object.entries(policy.headers.names)) if (value === name) return `headers.${field}`;
  for (const limit of limits)
    for (const [field, value] of Object.entries(limit.headers ?? {})) if (value === name) return `limit ${limit.name}: headers.${field}`;
  return `headers.style ${policy.headers.style}`;
}

function missingHeaders(policy: RateLimitPolicy, limits: readonly LimitPolicy[], response: SpecNode, wanted: string[]): string[] {
  const declared = declaredHeaders(response);
  return wanted.filter((name) => !declared.has(name.toLowerCase())).map((name) => `${name} (${originOf(policy, limits, name)})`);
}

const outOfScope = (op: ScopedOperation) =>
  op.scope === 'exempt' ? 'is exempt from the rate limit (x-rate-limit/scope/exempt)' : 'is outside x-rate-limit/scope/include';

/** Each limited operation's rejections: status, the limits that answer with it, and the declared response (if any). */
function rejections(ops: ScopedOperation[]) {
  return ops
    .filter((op) => op.scope === 'limited')
    .flatMap((op) => [...byStatus(op.limits)].map(([status, limits]) => ({ op, status, limits, response: op.responses.get(String(status)) })));
}

/** The contract between an `x-rate-limit` policy and the operations the document declares. */
export const CONTRACT_RULES: readonly ContractRule[] = [
  {
    id: 'x-rate-limit/rejection-response',
    uses: ['scope', 'rejection', 'limits'],
    description: 'Every limited operation declares the rejection status of each limit that applies to it (e.g. 429).',
    check: ({ operations }) =>
      rejections(operations)
        .filter((r) => !r.response)
        .map(({ op, status, limits }) => ({
          pointer: op.responsesPointer,
          message: `${label(op)} is rate limited but declares no ${status} response${whose(limits)}; add one (e.g. $ref a shared components/responses entry) describing the rejection`,
        })),
  },
  {
    id: 'x-rate-limit/rejection-content-type',
    uses: ['scope', 'rejection', 'limits'],
    description: "The rejection response declares the rejection's content type.",
    check: ({ document, operations }) =>
      rejections(operations).flatMap(({ op, status, limits, response }) => {
        if (!response) return [];
        const types = mediaTypes(document, response).map(([type]) => type.split(';')[0]?.trim().toLowerCase());
        const wanted = [...new Set(limits.map((l) => l.rejection.contentType.split(';')[0]?.trim().toLowerCase() ?? ''))];
        const missing = wanted.filter((type) => !types.includes(type));
        if (missing.length === 0) return [];
        return [
          {
            pointer: `${at(op, String(status))}/content`,
            message: `${label(op)} declares its ${status} response as ${types.length ? types.join(', ') : 'no content'}, but the policy sends ${missing.join(', ')}; declare content "${missing[0]}"`,
          },
        ];
      }),
  },
  {
    id: 'x-rate-limit/rejection-example',
    uses: ['scope', 'rejection', 'limits'],
    description:
      'A JSON example of the rejection response equals the rejection body of a limit that answers with that status; {after} and the other placeholders match any non-empty text.',
    check: ({ document, operations }) =>
      rejections(operations).flatMap(({ op, status, limits, response }) => {
        if (!response) return [];
        return mediaTypes(document, response)
          .filter(([type]) => isJsonMediaType(type))
          .flatMap(([type, media]) =>
            mediaExamples(document, media).flatMap(({ name, value }) => {
              const mismatches = limits.map((limit) => matchRejectionBody(limit.rejection.body, value));
              const mismatch = mismatches.every((m) => m !== undefined) ? mismatches[0] : undefined;
              if (!mismatch) return [];
              const body = whose(limits) === '' ? 'x-rate-limit/rejection/body' : `the rejection body of ${names(limits)}`;
              return [
                {
                  pointer: `${at(op, String(status))}/content/${escapePointerToken(type)}/${name}`,
                  message: `${label(op)}: the ${status} example differs from ${body} at ${mismatch.at || '(the body)'}: expected ${mismatch.expected}, got ${mismatch.actual}; make the example and the policy agree`,
                },
              ];
            }),
          );
      }),
  },
  {
    id: 'x-rate-limit/success-headers',
    uses: ['scope', 'headers', 'limits'],
    description: "The 2xx responses of limited operations declare the budget headers their limits send (per the policy's header style).",
    check: ({ policy, operations }) =>
      operations
        .filter((op) => op.scope === 'limited')
        .flatMap((op) => {
          const wanted = sentHeaderNames(policy.headers, op.limits).budget;
          if (wanted.length === 0) return [];
          return [...op.responses]
            .filter(([code]) => isSuccess(code))
            .flatMap(([code, response]) => {
              const missing = missingHeaders(policy, op.limits, response, wanted);
              return missing.length === 0
                ? []
                : [
                    {
                      pointer: at(op, code),
                      message: `${label(op)} ${code} does not declare the rate-limit ${plural(missing, 'header', 'headers')} ${missing.join(', ')} that the policy sends`,
                    },
                  ];
            });
        }),
  },
  {
    id: 'x-rate-limit/rejection-headers',
    uses: ['scope', 'rejection', 'headers', 'limits'],
    description: 'The rejection responses of limited operations declare the budget headers and the retry-after header they carry.',
    check: ({ policy, operations }) =>
      rejections(operations).flatMap(({ op, status, limits, response }) => {
        if (!response) return [];
        const sent = sentHeaderNames(policy.headers, op.limits).budget;
        const retryAfter = sentHeaderNames(policy.headers, limits).rejection;
        const missing = missingHeaders(policy, op.limits, response, [...sent, ...retryAfter]);
        if (missing.length === 0) return [];
        return [
          {
            pointer: at(op, String(status)),
            message: `${label(op)} ${status} does not declare the rate-limit ${plural(missing, 'header', 'headers')} ${missing.join(', ')} that the policy sends on a rejection`,
          },
        ];
      }),
  },
  {
    id: 'x-rate-limit/exempt-rejection',
    uses: ['scope', 'rejection', 'limits'],
    description: 'Operations that are not limited (exempt, or outside the include patterns) declare no rejection status.',
    check: ({ operations }) =>
      operations
        .filter((op) => op.scope !== 'limited')
        .flatMap((op) =>
          [...byStatus(op.limits).keys()]
            .filter((status) => op.responses.has(String(status)))
            .map((status) => ({
              pointer: at(op, String(status)),
              message: `${label(op)} ${outOfScope(op)} but declares a ${status} response; remove it, or change x-rate-limit/scope`,
            })),
        ),
  },
  {
    id: 'x-rate-limit/exempt-headers',
    uses: ['scope', 'headers', 'limits'],
    description: "Operations that are not limited declare none of the policy's rate-limit headers.",
    check: ({ policy, operations }) =>
      operations
        .filter((op) => op.scope !== 'limited')
        .flatMap((op) => {
          const sent = sentHeaderNames(policy.headers, op.limits);
          const all = [...sent.budget, ...sent.rejection].map((n) => n.toLowerCase());
          return [...op.responses].flatMap(([code, response]) => {
            const found = [...declaredHeaders(response)].filter((name) => all.includes(name));
            return found.length === 0
              ? []
              : [
                  {
                    pointer: `${at(op, code)}/headers`,
                    message: `${label(op)} ${outOfScope(op)} but its ${code} response declares ${found.join(', ')}; remove ${found.length > 1 ? 'them' : 'it'}, as the server sends no rate-limit headers there`,
                  },
                ];
          });
        }),
  },
  {
    id: 'x-rate-limit/operation-scope',
    uses: ['scope'],
    description: "An operation's own x-rate-limit applies only on the limited scope: on an exempt or unlisted path it does nothing.",
    check: ({ operations }) =>
      operations
        .filter((op) => op.ownPolicy && op.scope !== 'limited')
        .map((op) => ({
          pointer: op.responsesPointer.replace(/\/responses$/, '/x-rate-limit'),
          message: `${label(op)} ${outOfScope(op)}, so its own x-rate-limit never applies; remove it, or change x-rate-limit/scope`,
        })),
  },
  {
    id: 'x-rate-limit/cost-source',
    uses: ['scope', 'limits'],
    description: 'A cost read from the request reads a part the operation declares: a request body, a query parameter, a header parameter.',
    check: ({ document, operations }) =>
      operations
        .filter((op) => op.scope === 'limited')
        .flatMap((op) => {
          const params = parametersOf(document, op);
          return op.limits.flatMap((limit) => {
            const cost = limit.cost;
            if (typeof cost === 'number') return [];
            const declared =
              cost.from === 'body'
                ? resolveNode(document, op.node.requestBody) !== undefined
                : params.some((p) => p.in === cost.from && p.name.toLowerCase() === cost.name.toLowerCase());
            if (declared) return [];
            const what = cost.from === 'body' ? 'no request body' : `no ${cost.from} parameter "${cost.name}"`;
            return [
              {
                pointer: op.responsesPointer.replace(/\/responses$/, ''),
                message: `${label(op)} declares ${what}, but the limit ${limit.name} reads its cost from ${cost.from === 'body' ? `the body at ${cost.name}` : `it`}; every request would cost the default ${cost.default}. Declare it, or set the operation's cost`,
              },
            ];
          });
        }),
  },
];

/** The parameters an operation declares, its path item's included. */
function parametersOf(document: SpecNode, op: ScopedOperation): Array<{ in: string; name: string }> {
  const paths = document.paths as Record<string, unknown> | undefined;
  const item = resolveNode(document, paths?.[op.path]);
  const list = [...(Array.isArray(item?.parameters) ? item.parameters : []), ...(Array.isArray(op.node.parameters) ? op.node.parameters : [])];
  return list.flatMap((p) => {
    const node = resolveNode(document, p);
    return node && typeof node.in === 'string' && typeof node.name === 'string' ? [{ in: node.in, name: node.name }] : [];
  });
}
