/**
 * The bounds of one operation's Director calls (docs/director-api-notes.md §13): the signal that
 * ends it early (its client left), its deadline, and how many calls it may make. Every call made
 * through a `DirectorApi` from `forCaller(authorization, scope)` carries them: a call never waits
 * for a connection past the deadline, a call in flight is cut off when the operation ends, and an
 * operation that has spent its calls makes no more.
 */
import { setMaxListeners } from 'node:events';
import {
  DirectorAbortedError,
  DirectorCallBudgetError,
  type DirectorError,
  DirectorTimeoutError,
} from './errors.js';

export interface CallScopeOptions {
  /** Ends the operation early (its client disconnected): queued calls leave, calls in flight stop. */
  signal?: AbortSignal | undefined;
  /** The operation's deadline, in ms from the scope's creation. @default none */
  timeoutMs?: number | undefined;
  /** Most Director calls the operation may make. @default no limit */
  maxCalls?: number | undefined;
  /**
   * False once the operation's client is known to be gone, a moment before `signal` says so (the
   * server learns of a closed socket before it emits the close). Checked before a call is sent.
   */
  alive?: (() => boolean) | undefined;
}

/**
 * Why a call ended at its operation's deadline: the connection queue fails a waiter with it, and
 * the transport a request whose timeouts the deadline cut short. Mapped to DIRECTOR_TIMEOUT with
 * phase `deadline`, which the circuit breaker does not count.
 */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached';
}

export class CallScope {
  readonly #options: CallScopeOptions;
  readonly #deadline: number | undefined;
  #calls = 0;

  constructor(options: CallScopeOptions = {}) {
    this.#options = options;
    this.#deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    // Every concurrent call of the operation listens to its signal (a page of 13 manifests is 13
    // calls): many listeners are normal here, and each call removes its own when it ends.
    if (options.signal) setMaxListeners(0, options.signal);
  }

  /** Director calls made so far. */
  get calls(): number {
    return this.#calls;
  }

  /**
   * The deadline (epoch ms), if the scope has one. It costs no timer of its own: the connection
   * queue and each request's own timeouts are bounded by it (§13).
   */
  get deadline(): number | undefined {
    return this.#deadline;
  }

  /** The signal that ends the operation early (its client left), if any. */
  get signal(): AbortSignal | undefined {
    return this.#options.signal;
  }

  /** See `CallScopeOptions.alive`. */
  get alive(): (() => boolean) | undefined {
    return this.#options.alive;
  }

  /**
   * Counts one call of `route` before it is sent. Throws, and nothing is sent, when the operation
   * ended, its deadline passed, or its calls are spent.
   */
  enter(route: string): void {
    const signal = this.#options.signal;
    if (signal?.aborted || this.#options.alive?.() === false) throw abortError(signal, route);
    if (this.#deadline !== undefined && Date.now() >= this.#deadline) {
      throw abortError(undefined, route, new DeadlineReached());
    }
    const max = this.#options.maxCalls;
    if (max !== undefined && this.#calls >= max) {
      throw new DirectorCallBudgetError(
        `This operation already made ${max} Director calls, its limit; ${route} was not sent`,
        max,
        { route },
      );
    }
    this.#calls += 1;
  }
}

/** The client's error for a call its operation gave up on: the deadline, or a departed client. */
export function abortError(
  signal: AbortSignal | undefined,
  route: string,
  reason: unknown = signal?.reason,
): DirectorError {
  if (reason instanceof DeadlineReached) {
    return new DirectorTimeoutError(
      `The operation's deadline passed before the Director answered ${route}`,
      'deadline',
      { route },
    );
  }
  const why = reason instanceof Error && reason.name !== 'AbortError' ? ` (${reason.message})` : '';
  return new DirectorAbortedError(`The operation ended before the Director answered ${route}${why}`, {
    route,
    cause: reason,
  });
}

/** One signal for a call that has its own (`WaitOptions.signal`) and its scope's. */
export function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): AbortSignal | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  return AbortSignal.any([a, b]);
}
