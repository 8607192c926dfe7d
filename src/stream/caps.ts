/**
 * Caps on pollers (docs/task-stream.md section 10.2): at most `maxPollers` live pollers in the
 * process, and at most `maxPollersPerCaller` pollers that one caller identity watches. Sharing is
 * free: joining a poller that already runs costs no process slot, and joining one the caller
 * already watches costs nothing at all. Without them, 300 `runningTasks(deployment: "dN")`
 * subscriptions made 300 pollers and about 560 Director requests per second.
 */
import { createHash } from 'node:crypto';
import { StreamError } from './errors.js';

export interface PollerCapSettings {
  /** Live pollers (task, running-tasks) per process. @default 1000 */
  maxPollers: number;
  /** Distinct pollers one caller identity may watch at once. @default 50 */
  maxPollersPerCaller: number;
}

/**
 * A caller's identity for the caps and for sharing: a hash of its Authorization, so that the
 * registry never holds credentials as a readable key. Callers without one (the configured client)
 * share one identity.
 */
export function callerIdentity(authorization: string | undefined): string {
  return createHash('sha256')
    .update(authorization ?? '')
    .digest('base64url');
}

export class PollerCaps {
  /** Per caller: the pollers it watches, with how many of its subscriptions watch each. */
  readonly #watching = new Map<string, Map<string, number>>();

  constructor(private readonly settings: PollerCapSettings) {}

  /**
   * Throws TOO_MANY_SUBSCRIPTIONS when `caller` may not watch `poller`: a new poller over the
   * process cap (`running` live now, `exists` whether this one runs already), or a poller the
   * caller does not watch yet, over its own cap.
   */
  check(caller: string, poller: string, exists: boolean, running: number): void {
    const watched = this.#watching.get(caller);
    if (!exists && running >= this.settings.maxPollers) {
      throw new StreamError(
        'TOO_MANY_SUBSCRIPTIONS',
        `The gateway already runs ${this.settings.maxPollers} pollers, its limit; try again later.`,
      );
    }
    if (!watched?.has(poller) && (watched?.size ?? 0) >= this.settings.maxPollersPerCaller) {
      throw new StreamError(
        'TOO_MANY_SUBSCRIPTIONS',
        `These credentials already watch ${this.settings.maxPollersPerCaller} tasks or task lists, their limit; end some subscriptions first.`,
      );
    }
  }

  /** Counts one more subscription of `caller` on `poller`; returns its release (idempotent). */
  add(caller: string, poller: string): () => void {
    let watched = this.#watching.get(caller);
    if (!watched) {
      watched = new Map();
      this.#watching.set(caller, watched);
    }
    watched.set(poller, (watched.get(poller) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const map = this.#watching.get(caller);
      const left = (map?.get(poller) ?? 1) - 1;
      if (!map) return;
      if (left > 0) map.set(poller, left);
      else map.delete(poller);
      if (map.size === 0) this.#watching.delete(caller);
    };
  }
}
