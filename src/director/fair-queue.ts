/**
 * The cap on requests in flight to one Director, fair by route (docs/director-api-notes.md §10).
 *
 * A plain FIFO semaphore let one hung route starve every other: 32 queries of a `/deployments`
 * that never answers held all 32 slots, and `{ director { name } }` waited a minute behind them.
 * Here each route (the path template, `GET /deployments`) holds at most `perKey` slots, and
 * waiting routes are served in turn, one request each, so a slow or hung route fills at most its
 * share while the others keep theirs.
 *
 * A waiter whose signal aborts (its client left), or whose deadline passes, leaves the queue at
 * once and is never sent; a deadline costs a timer only while its call waits here. Freed slots are handed on in the event loop's check phase, after the
 * I/O and timer callbacks of the moment: when many clients leave (or many deadlines pass) at
 * once, their waiters leave first, instead of taking each slot the one before them freed.
 */
import { DeadlineReached } from './scope.js';

/** Why a waiter left unsent: its caller was gone by the time its turn came. */
export class CallerGone extends Error {
  override name = 'CallerGone';
}

interface Waiter {
  grant: (release: () => void) => void;
  fail: (reason: unknown) => void;
  /** Epoch ms after which the waiter's call must not be sent. */
  deadline: number | undefined;
  /** False once the waiter's caller is gone. */
  alive: (() => boolean) | undefined;
}

export interface FairQueueStats {
  inFlight: number;
  waiting: number;
}

export class FairQueue {
  readonly size: number;
  readonly perKey: number;
  #inFlight = 0;
  readonly #inFlightByKey = new Map<string, number>();
  /** Waiters by key, in turn order: the key served last moves to the end. */
  readonly #waiting = new Map<string, Waiter[]>();
  #waitingCount = 0;
  #dispatchScheduled = false;

  /**
   * @param size requests in flight at most.
   * @param perKey requests of one key in flight at most. @default half of `size` (at least 1)
   */
  constructor(size: number, perKey = Math.max(1, Math.ceil(size / 2))) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`queue size must be a positive integer, got ${size}`);
    }
    if (!Number.isInteger(perKey) || perKey < 1) {
      throw new RangeError(`per-key share must be a positive integer, got ${perKey}`);
    }
    this.size = size;
    this.perKey = Math.min(perKey, size);
  }

  get stats(): FairQueueStats {
    return { inFlight: this.#inFlight, waiting: this.#waitingCount };
  }

  /**
   * Resolves with a release function once a slot for `key` is free. Rejects with the signal's
   * reason if it aborts first (the waiter is removed; nothing is sent).
   */
  acquire(key: string, signal?: AbortSignal, deadline?: number, alive?: () => boolean): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Only waiters of the same key go first: others wait for their own share, not this one's.
    if (!this.#waiting.has(key) && this.#canRun(key)) return Promise.resolve(this.#take(key));
    if (deadline !== undefined && deadline <= Date.now()) return Promise.reject(new DeadlineReached());
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (reason: unknown) => {
        const list = this.#waiting.get(key);
        const at = list?.indexOf(waiter) ?? -1;
        if (list && at >= 0) {
          list.splice(at, 1);
          this.#waitingCount -= 1;
          if (list.length === 0) this.#waiting.delete(key);
        }
        waiter.fail(reason);
      };
      const onAbort = () => leave(signal?.reason);
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(timer);
          resolve(release);
        },
        fail: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          clearTimeout(timer);
          reject(reason);
        },
        deadline,
        alive,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline !== undefined) {
        timer = setTimeout(() => leave(new DeadlineReached()), deadline - Date.now());
        timer.unref();
      }
      const list = this.#waiting.get(key);
      if (list) list.push(waiter);
      else this.#waiting.set(key, [waiter]);
      this.#waitingCount += 1;
    });
  }

  #canRun(key: string): boolean {
    return this.#inFlight < this.size && (this.#inFlightByKey.get(key) ?? 0) < this.perKey;
  }

  #take(key: string): () => void {
    this.#inFlight += 1;
    this.#inFlightByKey.set(key, (this.#inFlightByKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight -= 1;
      const left = (this.#inFlightByKey.get(key) ?? 1) - 1;
      if (left === 0) this.#inFlightByKey.delete(key);
      else this.#inFlightByKey.set(key, left);
      if (this.#waitingCount > 0 && !this.#dispatchScheduled) {
        this.#dispatchScheduled = true;
        setImmediate(() => {
          this.#dispatchScheduled = false;
          this.#dispatch();
        });
      }
    };
  }

  /** Grants free slots to waiting keys in turn, skipping keys that hold their whole share. */
  #dispatch(): void {
    while (this.#inFlight < this.size && this.#waitingCount > 0) {
      let served = false;
      for (const [key, list] of this.#waiting) {
        if (!this.#canRun(key)) continue;
        const waiter = list.shift() as Waiter;
        this.#waitingCount -= 1;
        // Its turn is used: the key goes to the back of the line.
        this.#waiting.delete(key);
        if (list.length > 0) this.#waiting.set(key, list);
        served = true;
        if (waiter.deadline !== undefined && waiter.deadline <= Date.now()) {
          waiter.fail(new DeadlineReached());
          break;
        }
        // Its client left, and the server has not said so yet (the close comes after this phase).
        if (waiter.alive?.() === false) {
          waiter.fail(new CallerGone());
          break;
        }
        waiter.grant(this.#take(key));
        break;
      }
      if (!served) return;
    }
  }
}
