/**
 * `runningTasks` (docs/task-stream.md, section 7): one poll of
 * `GET /tasks?state=queued,processing,cancelling` per distinct (credentials, filter), shared by
 * every subscriber with those, pushing only when the list changes. Sharing is per credentials
 * because the Director filters the list by the caller's teams (member-poller.ts).
 */
import type { DirectorApi } from '../director/api.js';
import { RUNNING_TASK_STATES, type WireTask } from '../director/types.js';
import { MemberPoller, type MemberPollerHooks } from './member-poller.js';
import type { StreamSettings } from './settings.js';
import type { ListShare } from './shared-list.js';

export type { PollerMember as RunningTasksMember } from './member-poller.js';
export type RunningTasksHooks = MemberPollerHooks<RunningTasksPoller>;

export class RunningTasksPoller extends MemberPoller<RunningTasksPoller> {
  tasks: WireTask[] = [];
  /** Bumped each time the list changes; 0 until the first poll answered. */
  version = 0;
  private signature = '';
  /** With --redis: the lane this list is shared through with the other replicas (section 13.7). */
  share: ListShare<WireTask[]> | undefined;

  constructor(
    key: string,
    private readonly deployment: string | undefined,
    settings: StreamSettings,
    hooks: RunningTasksHooks,
  ) {
    super(key, settings, hooks);
  }

  protected async round(api: DirectorApi): Promise<void> {
    // Another replica reads the list: it arrives through the lane's stream (update).
    if (this.share && !(await this.share.mayRead(this.settings))) return;
    this.hooks.onPoll?.();
    const tasks = await api.listTasks({
      states: RUNNING_TASK_STATES,
      ...(this.deployment ? { deployment: this.deployment } : {}),
      limit: this.settings.runningTasksLimit,
      verbose: 1,
    });
    await this.share?.publish(tasks, this.settings);
    this.update(tasks);
  }

  /** A follower tries the lease every quarter interval, so it takes over within two. */
  protected override nextDelay(): number {
    return this.share?.following ? this.settings.intervalMs / 4 : super.nextDelay();
  }

  update(tasks: WireTask[]): void {
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
