/**
 * The life of one subscription (docs/task-stream.md section 10): it holds nothing until its
 * transport really pulls its first record, and it lets go of everything at the first end of that
 * transport, however early that end comes.
 *
 * - A subscription that is never pulled (a request answered 406, whose result nobody streams)
 *   attaches to nothing and counts nowhere: there is nothing to release.
 * - The transport's signal (the HTTP request's, which aborts when its client disconnects; a
 *   WebSocket operation's, which aborts on `complete` or when the socket closes) ends the
 *   subscription at once, whether it is attached yet or not, and even if the transport never
 *   calls `return()`. A subscription whose signal already aborted never attaches.
 * - `return()` (a polite unsubscribe) ends it too; ending twice is harmless.
 */
import { StreamError, toStreamError } from './errors.js';

/** What a started subscription produces, and how it lets go of its poller. */
export interface Started<T> {
  produce(abort: AbortSignal): AsyncGenerator<T>;
  release(): void;
}

/** Called with +1 when a subscription attaches and -1 when it lets go. */
export type LiveCount = (delta: 1 | -1) => void;

export function subscription<T>(
  transport: AbortSignal | undefined,
  count: LiveCount,
  start: () => Started<T>,
): AsyncIterableIterator<T> {
  let phase: 'waiting' | 'live' | 'ended' = 'waiting';
  let started: Started<T> | undefined;
  let generator: AsyncGenerator<T> | undefined;
  const abort = new AbortController();

  const finish = () => {
    if (phase === 'ended') return;
    const wasLive = phase === 'live';
    phase = 'ended';
    transport?.removeEventListener('abort', finish);
    abort.abort();
    if (wasLive) {
      count(-1);
      started?.release();
      // The producer may be mid-call; it sees the abort when that call ends.
      void generator?.return(undefined).catch(() => undefined);
    }
  };

  const begin = (): boolean => {
    if (transport?.aborted) {
      phase = 'ended';
      return false;
    }
    started = start();
    phase = 'live';
    count(1);
    generator = started.produce(abort.signal);
    transport?.addEventListener('abort', finish, { once: true });
    return true;
  };

  return {
    async next() {
      if (phase === 'waiting') {
        try {
          if (!begin()) return { done: true, value: undefined };
        } catch (error) {
          phase = 'ended';
          throw error instanceof StreamError ? error : toStreamError(error);
        }
      }
      if (phase === 'ended' || !generator) return { done: true, value: undefined };
      try {
        const result = await generator.next();
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw error instanceof StreamError ? error : toStreamError(error);
      }
    },
    async return() {
      if (phase === 'waiting') phase = 'ended';
      finish();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      if (phase === 'waiting') phase = 'ended';
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
