/**
 * Time for the simulated Director. Everything that waits (task steps, lock waits, token expiry)
 * goes through a `Clock`, so tests can swap real time for a `ManualClock` and run a whole deploy
 * in microseconds, deterministically.
 */

/** A pending callback; `cancel()` is idempotent. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Runs `fn` once, `delayMs` of this clock's time from now. */
  setTimer(delayMs: number, fn: () => void): Timer;
  /** Cancels every pending timer (used by `stop()`, so no callback outlives the server). */
  cancelAll(): void;
}

/** Wall-clock time with Node timers. Timers are unref'd: only the server socket keeps a process alive. */
export class RealClock implements Clock {
  private readonly pending = new Set<NodeJS.Timeout>();

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        fn();
      },
      Math.max(0, delayMs),
    );
    handle.unref();
    this.pending.add(handle);
    return {
      cancel: () => {
        clearTimeout(handle);
        this.pending.delete(handle);
      },
    };
  }

  cancelAll(): void {
    for (const handle of this.pending) clearTimeout(handle);
    this.pending.clear();
  }
}

interface ManualEntry {
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** 2026-01-15T10:00:00Z: a fixed start so seeded content is identical run after run. */
export const MANUAL_CLOCK_DEFAULT_START = Date.UTC(2026, 0, 15, 10, 0, 0);

/**
 * A clock that only moves when told to. `advance(ms)` runs every timer that falls due within the
 * window, in due-time order (ties in scheduling order), with `now()` set to each timer's due time
 * while it runs, so the records a task writes carry the times they would have had in real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private queue: ManualEntry[] = [];

  /** @param startMs epoch ms the clock starts at. @default 2026-01-15T10:00:00Z */
  constructor(startMs: number = MANUAL_CLOCK_DEFAULT_START) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fn: () => void): Timer {
    const entry: ManualEntry = {
      due: this.current + Math.max(0, delayMs),
      seq: this.seq++,
      fn,
      cancelled: false,
    };
    this.queue.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  cancelAll(): void {
    for (const entry of this.queue) entry.cancelled = true;
    this.queue = [];
  }

  /** Number of timers still waiting (handy to assert that nothing is left running). */
  pendingTimers(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }

  /**
   * Moves time forward by `ms`, synchronously running due timers (including timers those
   * timers schedule inside the window).
   */
  advanceSync(ms: number): void {
    const target = this.current + Math.max(0, ms);
    for (;;) {
      this.queue = this.queue.filter((e) => !e.cancelled);
      let next: ManualEntry | undefined;
      for (const e of this.queue) {
        if (e.due <= target && (!next || e.due < next.due || (e.due === next.due && e.seq < next.seq)))
          next = e;
      }
      if (!next) break;
      next.cancelled = true;
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
  }

  /** `advanceSync`, then one macrotask turn so pending I/O callbacks (HTTP answers) can run. */
  async advance(ms: number): Promise<void> {
    this.advanceSync(ms);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
