/**
 * How every reader of the task stream rides out a Director that is briefly away (docs/
 * task-stream.md section 5): failed reads are retried with exponential backoff, and only once the
 * Director has stayed away for `unavailableAfterMs` does the reader give up. The poller, the
 * runningTasks poller and a late joiner's catch-up all use one.
 */
import { isTransient } from './errors.js';
import { retryDelay, type StreamSettings } from './settings.js';
import { sleep } from './signal.js';

export class RetryWindow {
  private since: number | undefined;
  private attempt = 0;

  constructor(private readonly settings: StreamSettings) {}

  /** After a failure worth retrying: the wait before the next try, or undefined to give up. */
  failed(): number | undefined {
    this.since ??= Date.now();
    if (Date.now() - this.since >= this.settings.unavailableAfterMs) return undefined;
    return retryDelay(this.settings, this.attempt++);
  }

  /**
   * After a failed read: when it is worth retrying (transient, and within the window), waits
   * before the retry and answers true; otherwise answers false at once, and the reader fails.
   */
  async waitOut(error: unknown, abort: AbortSignal): Promise<boolean> {
    const wait = isTransient(error) ? this.failed() : undefined;
    if (wait === undefined) return false;
    await sleep(wait, abort);
    return true;
  }

  /** After a read that worked: the next failure starts a new window. */
  succeeded(): void {
    this.since = undefined;
    this.attempt = 0;
  }
}
