/** Small async-iterator adapters that keep `return()` working, so unsubscribing reaches the source. */

/**
 * Maps the items of an iterator, dropping those `map` answers undefined for. With `onError`, a
 * failure of the source becomes one last item, and the iterator ends after it.
 */
export function mapIterator<T, U>(
  source: AsyncIterableIterator<T>,
  map: (item: T) => U | undefined,
  onError?: (error: unknown) => U,
): AsyncIterableIterator<U> {
  let failed = false;
  return {
    async next() {
      if (failed) return { done: true, value: undefined };
      for (;;) {
        let result: IteratorResult<T>;
        try {
          result = await source.next();
        } catch (error) {
          if (!onError) throw error;
          failed = true;
          return { done: false, value: onError(error) };
        }
        if (result.done) return { done: true, value: undefined };
        const mapped = map(result.value);
        if (mapped !== undefined) return { done: false, value: mapped };
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
