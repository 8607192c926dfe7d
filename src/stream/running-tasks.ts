/**
 * `runningTasks` (docs/task-stream.md, section 7): one poll of
 * `GET /tasks?state=queued,processing,cancelling` per distinct (credentials, filter), shared by
 * every subscriber with those, pushing only when the list changes. Sharing is per credentials
 * because the Director filters the list by the caller's teams, so any member's API reads the same
 * list: the oldest member's is used, and when it leaves (its call in flight is cut off with it),
 * the next one's at once.
 */
import type { DirectorApi } from '../director/api.js';
import { isDirectorError } from '../director/errors.js';
import { RUNNING_TASK_STATES, type WireTask } from '../director/types.js';
import { isTransient, type StreamError, toStreamError } from './errors.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

/** One attached subscriber: the API its own operation gave, bound to its transport. */
export interface RunningTasksMember {
  readonly api: DirectorApi;
}

export interface RunningTasksHooks {
  /** Called once the last member left and the poller stopped. */
  onIdle(poller: RunningTasksPoller): void;
  /** Called for each Director call (metrics). */
  onPoll?(): void;
}

export class RunningTasksPoller {
  tasks: WireTask[] = [];
  /** Bumped each time the list changes; 0 until the first poll answered. */
  version = 0;
  failure: StreamError | undefined;
  readonly changed = new ChangeSignal();
  private readonly members = new Set<RunningTasksMember>();
  private readonly stopper = new AbortController();
  private running = false;
  private signature = '';

  constructor(
    readonly key: string,
    private readonly deployment: string | undefined,
    private readonly settings: StreamSettings,
    private readonly hooks: RunningTasksHooks,
  ) {}

  get subscriberCount(): number {
    return this.members.size;
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  attach(api: DirectorApi): RunningTasksMember {
    const member = { api };
    this.members.add(member);
    if (!this.running && !this.stopped) {
      this.running = true;
      void this.run();
    }
    return member;
  }

  /** Idempotent. The last member out stops the poller at once. */
  detach(member: RunningTasksMember): void {
    if (!this.members.delete(member)) return;
    if (this.members.size === 0) {
      this.stopper.abort();
      this.changed.notify();
      this.hooks.onIdle(this);
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
        this.hooks.onPoll?.();
        const tasks = await member.api.listTasks({
          states: RUNNING_TASK_STATES,
          ...(this.deployment ? { deployment: this.deployment } : {}),
          limit: this.settings.runningTasksLimit,
          verbose: 1,
        });
        retry.succeeded();
        this.update(tasks);
        await sleep(nextPollDelay(this.settings), abort);
      } catch (error) {
        if (abort.aborted) return;
        // The member whose call it was has left (and detached): go on at once with the next one.
        if (isDirectorError(error, 'ABORTED') && !this.members.has(member)) continue;
        const wait = isTransient(error) ? retry.failed() : undefined;
        if (wait !== undefined) {
          await sleep(wait, abort);
          continue;
        }
        this.failure = toStreamError(error);
        this.changed.notify();
        return;
      }
    }
  }

  private update(tasks: WireTask[]): void {
    // Newest first by id: the Director orders by timestamp, which is null for running tasks.
    const sorted = [...tasks].sort((a, b) => b.id - a.id);
    const signature = JSON.stringify(sorted);
    if (this.version > 0 && signature === this.signature) return;
    this.signature = signature;
    this.tasks = sorted;
    this.version += 1;
    this.changed.notify();
  }
}
