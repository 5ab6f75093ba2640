import type { EngineCall, Reply } from '../engine/reply.js';

/** A request the mock has answered, as its observers see it. */
export interface HandledRequest {
  /** The request as the engine saw it: method, target, headers, socket address (its body may have been read). */
  call: EngineCall;
  /** The engine's reply; undefined for a call to the control API itself (/__ratelimit/…). */
  reply: Reply | undefined;
  /** The status sent; 0 when nothing was (the client went away). */
  status: number;
  /** When it arrived and when it was answered, on the engine's clock (virtual time when frozen). */
  receivedAtMs: number;
  answeredAtMs: number;
}

/** Watches the requests the mock answers: the dashboard's live stream, while one is open. */
export interface RequestObserver {
  /** Called once per request, after its answer was sent, for requests that arrived while it was registered. */
  onRequest(handled: HandledRequest): void;
  /** The server is closing: end whatever holds a connection open (a live stream), so that the drain can finish. */
  onClose?(): void;
}

/**
 * The observers of one mock server. The request path checks `size` once per request and does nothing
 * else when it is 0: nobody watching costs one comparison. Observers are added while they watch (the
 * dashboard registers while at least one stream is open) and removed by the function `add` returns.
 */
export class RequestObservers {
  #observers: readonly RequestObserver[] = [];
  #closing = false;

  /** How many observers are registered. */
  get size(): number {
    return this.#observers.length;
  }

  /** Registers an observer; returns the function that removes it again. */
  add(observer: RequestObserver): () => void {
    this.#observers = [...this.#observers, observer];
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
    };
  }

  /** Hands one answered request to every observer (a copy of the list is iterated, so an observer may remove itself). */
  notify(handled: HandledRequest): void {
    for (const observer of this.#observers) observer.onRequest(handled);
  }

  /** Tells every observer that the server is closing. */
  close(): void {
    this.#closing = true;
    for (const observer of this.#observers) observer.onClose?.();
  }

  /** The server is closing: open no new stream. */
  get closing(): boolean {
    return this.#closing;
  }
}
