import type { MaybePromise } from '../core/budget-store.js';
import type { RequestHeaders } from '../core/key-resolver.js';
import type { ApiDefinition } from './api-definition.js';
import { type ApiModel, buildApiModel, type EngineRuntimeOptions } from './api-model.js';
import { type BudgetView, describeBudget, exhaustBudget, listBudgets, resetBudget } from './budgets.js';
import type { EngineCall, Reply } from './reply.js';
import { respond } from './respond.js';

/**
 * One API with no transport: a call goes in, a reply comes out. The mock server, the nock helper and the
 * MSW handlers each own one and only translate I/O; they decide nothing.
 */
export interface Engine extends ApiModel {
  readonly definition: ApiDefinition;
  /** Answers one call: synchronous unless it must wait (an async store, a body to read, Prism). */
  respond(call: EngineCall): MaybePromise<Reply>;
  /** Spends the whole budget of the key these headers and this address resolve to: of every root limit, or of the one named. */
  exhaust(headers: RequestHeaders, clientAddress: string | undefined, limit?: string): Promise<void>;
  /** A client's budget in every limit (the control API's GET /__ratelimit/budgets/<key>). */
  describeBudget(key: string): Promise<BudgetView>;
  /** The clients with live budgets, newest first, at most `max` store keys read. */
  listBudgets(max: number): Promise<BudgetView[]>;
  /** Forgets a client's budget in every limit. */
  resetBudget(key: string): Promise<void>;
  /** Forgets budgets, idempotency keys and scripts. */
  reset(): Promise<void>;
  /** Stops the store's timers. */
  close(): Promise<void>;
}

/** Builds an engine from a definition (no I/O; a browser can run it). */
export function createEngine(definition: ApiDefinition, options: EngineRuntimeOptions = {}): Engine {
  const model = buildApiModel(definition, options);
  return {
    ...model,
    definition,
    respond: (call) => respond(model, call),
    exhaust: (headers, clientAddress, limit) => exhaustBudget(model, headers, clientAddress, limit),
    describeBudget: (key) => describeBudget(model, key),
    listBudgets: (max) => listBudgets(model, max),
    resetBudget: (key) => resetBudget(model, key),
    async reset() {
      await model.store.resetAll();
      await model.idempotency.clear();
      model.scripts.clear();
    },
    close: () => model.store.close(),
  };
}
