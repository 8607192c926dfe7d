/**
 * A poller shared by members with the same credentials (docs/task-stream.md sections 7 and 12):
 * `runningTasks` and the live audit feed. Any member's API reads the same answer, so the oldest
 * member's is used, and when it leaves (its call in flight is cut off with it) the next one's at
 * once. The last member out stops the poller. A Director that is briefly away is ridden out with
 * the retry window (section 5); anything else ends the poller for every member with `failure`.
 *
 * Subclasses say what one round reads (`round`); this class owns membership and the loop.
 */
import type { DirectorApi } from '../director/api.js';
import { isDirectorError } from '../director/errors.js';
import { type StreamError, toStreamError } from './errors.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

/** One attached subscriber: the API its own operation gave, bound to its transport. */
export interface PollerMember {
  readonly api: DirectorApi;
}

export interface MemberPollerHooks<P> {
  /** Called once the last member left and the poller stopped. */
  onIdle(poller: P): void;
  /** Called for each Director call (metrics). */
  onPoll?(): void;
}

export abstract class MemberPoller<P extends MemberPoller<P>> {
  failure: StreamError | undefined;
  readonly changed = new ChangeSignal();
  private readonly members = new Set<PollerMember>();
  private readonly stopper = new AbortController();
  private running = false;

  constructor(
    readonly key: string,
    protected readonly settings: StreamSettings,
    protected readonly hooks: MemberPollerHooks<P>,
  ) {}

  /** One round with this member's API; the loop sleeps an interval after it. */
  protected abstract round(api: DirectorApi): Promise<void>;

  /** The wait before the next round: an interval, with its jitter. */
  protected nextDelay(): number {
    return nextPollDelay(this.settings);
  }

  get subscriberCount(): number {
    return this.members.size;
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  attach(api: DirectorApi): PollerMember {
    const member = { api };
    this.members.add(member);
    if (!this.running && !this.stopped) {
      this.running = true;
      void this.run();
    }
    return member;
  }

  /** Idempotent. The last member out stops the poller at once. */
  detach(member: PollerMember): void {
    if (!this.members.delete(member)) return;
    if (this.members.size === 0) {
      this.stopper.abort();
      this.changed.notify();
      this.hooks.onIdle(this as unknown as P);
    }
  }

  stop(): void {
    this.stopper.abort();
    this.changed.notify();
  }

  private async run(): Promise<void> {
    const abort = this.stopper.signal;
    const retry = new RetryWindow(this.settings);
    while (!abort.aborted) {
      const member = this.members.values().next().value;
      if (!member) return;
      try {
        await this.round(member.api);
        retry.succeeded();
        await sleep(this.nextDelay(), abort);
      } catch (error) {
        if (abort.aborted) return;
        // The member whose call it was has left (and detached): go on at once with the next one.
        if (isDirectorError(error, 'ABORTED') && !this.members.has(member)) continue;
        if (await retry.waitOut(error, abort)) continue;
        this.failure = toStreamError(error);
        this.changed.notify();
        return;
      }
    }
  }
}
