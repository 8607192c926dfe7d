/**
 * A counting semaphore: the cap on requests in flight to one Director
 * (docs/director-api-notes.md §10). Waiters are served in arrival order.
 */
export class Semaphore {
  #free: number;
  readonly #waiters: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`semaphore size must be a positive integer, got ${size}`);
    this.#free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.#free > 0) {
      this.#free--;
    } else {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
