import type { Dispatcher } from 'undici';

/**
 * An undici interceptor that honours a handler's pause: while the handler is paused, the response's
 * start, data and end wait in a queue and are delivered on resume. In-process dispatchers (nock's
 * NockClient, undici's own MockAgent) deliver a mocked response in one go and ignore pause; undici's
 * RetryHandler with `throwOnError: false` pauses a retryable response while its retry callback decides,
 * so behind them it breaks (see test/undici-behind-nock.test.ts). A socket honours pause by itself.
 * @example new RetryAgent(getGlobalDispatcher().compose(honourPause), { throwOnError: false })
 */
export const honourPause: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => dispatch(options, new PauseHonouringHandler(handler));

class PauseHonouringHandler implements Dispatcher.DispatchHandler {
  readonly #handler: Dispatcher.DispatchHandler;
  readonly #queue: Array<() => void> = [];
  #paused = false;
  #controller: Dispatcher.DispatchController | undefined;

  constructor(handler: Dispatcher.DispatchHandler) {
    this.#handler = handler;
  }

  onRequestStart(upstream: Dispatcher.DispatchController, context: unknown): void {
    const self = this;
    this.#controller = {
      get aborted() {
        return upstream.aborted;
      },
      get paused() {
        return self.#paused;
      },
      get reason() {
        return upstream.reason;
      },
      abort: (reason: Error) => upstream.abort(reason),
      pause: () => {
        this.#paused = true;
        upstream.pause();
      },
      resume: () => {
        this.#paused = false;
        upstream.resume();
        while (!this.#paused && this.#queue.length > 0) this.#queue.shift()?.();
      },
    };
    this.#handler.onRequestStart?.(this.#controller, context);
  }

  #deliver(step: () => void): void {
    if (this.#paused) this.#queue.push(step);
    else step();
  }

  onResponseStart(
    _upstream: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    this.#deliver(() => this.#handler.onResponseStart?.(this.#controller as Dispatcher.DispatchController, statusCode, headers, statusMessage));
  }

  onResponseData(_upstream: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#deliver(() => this.#handler.onResponseData?.(this.#controller as Dispatcher.DispatchController, chunk));
  }

  onResponseEnd(_upstream: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    this.#deliver(() => this.#handler.onResponseEnd?.(this.#controller as Dispatcher.DispatchController, trailers));
  }

  onResponseError(_upstream: Dispatcher.DispatchController, error: Error): void {
    this.#handler.onResponseError?.(this.#controller as Dispatcher.DispatchController, error);
  }
}
