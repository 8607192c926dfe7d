/**
 * The circuit breaker in front of the Director (docs/director-api-notes.md §13), from cockatiel: a
 * Director that keeps refusing connections or timing out is not asked again for a cool-down; calls
 * fail at once with DIRECTOR_UNAVAILABLE instead of each waiting out its own timeouts and holding a
 * connection slot. After the cool-down one probe goes through: its success closes the breaker, its
 * failure opens it for another cool-down. Only failures to get an answer count: a Director that
 * answers, even 500, is reachable.
 */
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import { type DirectorError, DirectorUnavailableError, isDirectorError } from './errors.js';

export interface BreakerOptions {
  /** Consecutive connection failures or timeouts that open the breaker. @default 5 */
  failures?: number;
  /** How long it stays open before one probe may go through, in ms. @default 10000 */
  cooldownMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Failures that say the Director cannot be reached, as opposed to answers it gave. */
export function isConnectionFailure(error: unknown): boolean {
  if (isDirectorError(error, 'DIRECTOR_UNAVAILABLE') || isDirectorError(error, 'DIRECTOR_TLS_ERROR')) {
    return true;
  }
  // The operation's own deadline is the caller's business, not a sign of a dead Director.
  return isDirectorError(error, 'DIRECTOR_TIMEOUT') && (error as { phase?: string }).phase !== 'deadline';
}

export class DirectorBreaker {
  readonly #policy;
  readonly #cooldownMs: number;
  #lastFailure: DirectorError | undefined;

  constructor(options: BreakerOptions = {}) {
    this.#cooldownMs = options.cooldownMs ?? 10_000;
    this.#policy = circuitBreaker(handleWhen(isConnectionFailure), {
      halfOpenAfter: this.#cooldownMs,
      breaker: new ConsecutiveBreaker(options.failures ?? 5),
    });
    this.#policy.onFailure(({ reason }) => {
      if ('error' in reason && isConnectionFailure(reason.error)) {
        this.#lastFailure = reason.error as DirectorError;
      }
    });
  }

  get state(): BreakerState {
    switch (this.#policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /** The last connection failure that counted, for readiness reports. */
  get lastFailure(): DirectorError | undefined {
    return this.#lastFailure;
  }

  /** Runs `attempt`, or fails at once with DIRECTOR_UNAVAILABLE while the breaker is open. */
  async execute<T>(attempt: () => Promise<T>, route: string): Promise<T> {
    try {
      return await this.#policy.execute(attempt);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
        throw new DirectorUnavailableError(
          `The Director failed to answer repeatedly; calls pause for up to ${Math.round(this.#cooldownMs / 1000)} s before one probe (${route} was not sent)`,
          { route, cause: this.#lastFailure },
        );
      }
      throw error;
    }
  }
}
