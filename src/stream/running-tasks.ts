/**
 * `runningTasks` (docs/task-stream.md, section 7): one poll of
 * `GET /tasks?state=queued,processing,cancelling` per distinct (credentials, filter), shared by
 * every subscriber with those, pushing only when the list changes. Sharing is per credentials
 * because the Director filters the list by the caller's teams.
 */
import type { DirectorApi } from '../director/api.js';
import { RUNNING_TASK_STATES, type WireTask } from '../director/types.js';
import { isTransient, type StreamError, toStreamError } from './errors.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

export class RunningTasksPoller {
  tasks: WireTask[] = [];
  /** Bumped each time the list changes; 0 until the first poll answered. */
  version = 0;
  failure: StreamError | undefined;
  readonly changed = new ChangeSignal();
  private subscribers = 0;
  private readonly stopper = new AbortController();
  private signature = '';

  constructor(
    readonly key: string,
    private readonly api: DirectorApi,
    private readonly deployment: string | undefined,
    private readonly settings: StreamSettings,
    private readonly onIdle: (poller: RunningTasksPoller) => void,
    private readonly onPoll?: () => void,
  ) {
    void this.run();
  }

  get subscriberCount(): number {
    return this.subscribers;
  }

  attach(): void {
    this.subscribers += 1;
  }

  detach(): void {
    this.subscribers -= 1;
    if (this.subscribers === 0) {
      this.stopper.abort();
      this.changed.notify();
      this.onIdle(this);
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
      try {
        this.onPoll?.();
        const tasks = await this.api.listTasks({
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
