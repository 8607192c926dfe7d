/**
 * The task stream registry: one TaskPoller per task and one RunningTasksPoller per (credentials,
 * filter), and the subscriptions that pull from them (docs/task-stream.md). It knows nothing of
 * GraphQL; the subscription resolvers adapt it.
 *
 * Each subscription is made in two steps. Its own authorization read runs when the subscription is
 * asked for, so a refusal answers the request at once (section 1.1). It attaches to a poller only
 * when its transport pulls its first record, and it detaches at the first end of that transport
 * (section 10).
 */
import type { DirectorApi } from '../director/api.js';
import type { OutputType, WireEvent, WireTask, WireTaskEvent } from '../director/types.js';
import { AuditFeeds } from './audit-feeds.js';
import { callerIdentity, PollerCaps } from './caps.js';
import {
  ADMIN_ONLY_OUTPUTS,
  authorizeOutput,
  deliverOutput,
  deliverRunning,
  deliverUpdates,
} from './deliver.js';
import { type Fleet, LocalFleet, type TaskSource } from './fleet.js';
import { mapIterator } from './iterators.js';
import { type OutputLine, parseEventRecord } from './records.js';
import { RunningTasksPoller } from './running-tasks.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './settings.js';
import { subscription } from './subscription.js';
import type { PollerSubscriber } from './task-poller.js';

export interface EventItem {
  record: WireTaskEvent;
  /** Byte offset just past the record: its cursor. */
  end: number;
}

export interface StreamStats {
  subscriptions: number;
  taskPollers: number;
  runningTasksPollers: number;
  /** Live audit feed pollers (`directorEvents`). */
  auditPollers: number;
  /** Director calls made by pollers since start. */
  polls: number;
}

/** How a subscription is tied to its caller and its transport. */
export interface SubscribeOptions {
  /** The transport's end: the subscription detaches when it aborts (section 10). */
  signal?: AbortSignal | undefined;
  /** The caller's Authorization (undefined: the configured client), for the caps and sharing. */
  authorization?: string | undefined;
  /**
   * The API for the authorization read (section 1.1), when it must differ from the stream's: the
   * operation's own, bounded by its deadline. @default the stream's API
   */
  setup?: DirectorApi | undefined;
}

export class TaskStreams {
  readonly settings: StreamSettings;
  private readonly pollers = new Map<number, TaskSource>();
  private readonly runningPollers = new Map<string, RunningTasksPoller>();
  private readonly caps: PollerCaps;
  /** The live audit feed (section 11), under the same caps and counts. */
  private readonly audit: AuditFeeds;
  private liveSubscriptions = 0;
  private polls = 0;
  private readonly count = (delta: 1 | -1) => {
    this.liveSubscriptions += delta;
  };

  /** Where the task pollers run: in this process, or shared by the fleet (section 13). */
  readonly fleet: Fleet;

  constructor(settings: Partial<StreamSettings> = {}, fleet: Fleet = new LocalFleet()) {
    this.fleet = fleet;
    this.settings = { ...DEFAULT_STREAM_SETTINGS, ...settings };
    this.caps = new PollerCaps(this.settings);
    this.audit = new AuditFeeds(
      this.settings,
      this.caps,
      this.count,
      () => this.pollerCount(),
      () => {
        this.polls += 1;
      },
      fleet,
    );
  }

  stats(): StreamStats {
    return {
      subscriptions: this.liveSubscriptions,
      taskPollers: this.pollers.size,
      runningTasksPollers: this.runningPollers.size,
      auditPollers: this.audit.size,
      polls: this.polls,
    };
  }

  /** Every event record of a task, in order, from `fromOffset` (section 2), parsed. */
  async taskEvents(
    api: DirectorApi,
    taskId: number,
    fromOffset = 0,
    options: SubscribeOptions = {},
  ): Promise<AsyncIterableIterator<EventItem>> {
    const lines = await this.taskOutput(api, taskId, 'event', fromOffset, options);
    return mapIterator(lines, (line) => {
      const record = parseEventRecord(line.text);
      return record ? { record, end: line.end } : undefined;
    });
  }

  /** The raw lines of one output of a task, in order, from `fromOffset`. */
  async taskOutput(
    api: DirectorApi,
    taskId: number,
    type: OutputType,
    fromOffset = 0,
    options: SubscribeOptions = {},
  ): Promise<AsyncIterableIterator<OutputLine>> {
    const { task, caller } = await this.authorize(api, taskId, type, options);
    return subscription(options.signal, this.count, () => {
      const { poller, subscriber, channel, release } = this.join(api, task, caller, type);
      if (!channel) throw new Error('an output subscriber always has a channel');
      const delivery = {
        api,
        caller,
        taskId,
        type,
        fromOffset,
        poller,
        subscriber,
        channel,
        settings: this.settings,
      };
      return { produce: (signal) => deliverOutput(delivery, signal), release };
    });
  }

  /** The task now, then each time its state changes; ends at a terminal state (section 7). */
  async taskUpdated(
    api: DirectorApi,
    taskId: number,
    options: SubscribeOptions = {},
  ): Promise<AsyncIterableIterator<WireTask>> {
    const { task, caller } = await this.authorize(api, taskId, undefined, options);
    return subscription(options.signal, this.count, () => {
      const { poller, subscriber, release } = this.join(api, task, caller, undefined);
      const delivery = { api, caller, taskId, task, poller, subscriber, settings: this.settings };
      return { produce: (signal) => deliverUpdates(delivery, signal), release };
    });
  }

  /** The running tasks now, then each time the list changes (section 7). */
  runningTasks(
    api: DirectorApi,
    deployment: string | undefined,
    options: SubscribeOptions = {},
  ): AsyncIterableIterator<WireTask[]> {
    const caller = callerIdentity(options.authorization);
    // Shared per credentials: the Director filters the list by the caller's teams.
    const key = `${caller}|${deployment ?? ''}`;
    const pollerKey = `running:${key}`;
    const usable = (p: RunningTasksPoller | undefined) => p !== undefined && !p.failure && !p.stopped;
    this.caps.check(caller, pollerKey, usable(this.runningPollers.get(key)), this.pollerCount());
    return subscription(options.signal, this.count, () => {
      let poller = this.runningPollers.get(key);
      this.caps.check(caller, pollerKey, usable(poller), this.pollerCount());
      if (!poller || !usable(poller)) {
        const created = new RunningTasksPoller(key, deployment, this.settings, {
          onIdle: (idle) => {
            idle.share?.close();
            if (this.runningPollers.get(idle.key) === idle) this.runningPollers.delete(idle.key);
          },
          onPoll: () => {
            this.polls += 1;
          },
        });
        // With --redis, one replica reads the list for every replica (section 13.7).
        created.share = this.fleet.listShare?.<WireTask[]>(pollerKey, (tasks) => created.update(tasks));
        poller = created;
        this.runningPollers.set(key, poller);
      }
      const shared = poller;
      const member = shared.attach(api);
      const uncount = this.caps.add(caller, pollerKey);
      return {
        produce: (signal) => deliverRunning(shared, signal),
        release: () => {
          uncount();
          shared.detach(member);
        },
      };
    });
  }

  /** Each audit event recorded from now on, once, oldest first (section 11). */
  directorEvents(
    api: DirectorApi,
    deployment: string | undefined,
    options: SubscribeOptions = {},
  ): Promise<AsyncIterableIterator<WireEvent>> {
    return this.audit.subscribe(api, deployment, options);
  }

  /** Stops every poller (server shutdown). */
  close(): void {
    this.audit.close();
    for (const poller of this.pollers.values()) poller.stop();
    for (const poller of this.runningPollers.values()) {
      poller.share?.close();
      poller.stop();
    }
    this.pollers.clear();
    this.runningPollers.clear();
  }

  private pollerCount(): number {
    return this.pollers.size + this.runningPollers.size + this.audit.size;
  }

  private usableTaskPoller(taskId: number): TaskSource | undefined {
    const poller = this.pollers.get(taskId);
    return poller && !poller.stopped && !poller.failure ? poller : undefined;
  }

  /**
   * Section 1.1: the subscriber's own credentials read the task (one `GET /tasks/{id}`), and, for
   * the admin-only outputs (debug, cpi), that output too, so it never receives records its
   * credentials may not read. The caps are checked here too, so an excess subscription fails at
   * once (section 10.2).
   */
  private async authorize(
    api: DirectorApi,
    taskId: number,
    type: OutputType | undefined,
    options: SubscribeOptions,
  ) {
    const caller = callerIdentity(options.authorization);
    const key = `task:${taskId}`;
    this.caps.check(caller, key, this.usableTaskPoller(taskId) !== undefined, this.pollerCount());
    const reader = options.setup ?? api;
    const task = await reader.getTask(taskId);
    if (type && ADMIN_ONLY_OUTPUTS.has(type)) await authorizeOutput(reader, taskId, type);
    return { task, caller };
  }

  /** Attaches a subscriber to the task's poller, starting one if needed (section 1). */
  private join(api: DirectorApi, task: WireTask, caller: string, type: OutputType | undefined) {
    const key = `task:${task.id}`;
    let poller = this.usableTaskPoller(task.id);
    this.caps.check(caller, key, poller !== undefined, this.pollerCount());
    if (!poller) {
      poller = this.fleet.taskSource(task.id, this.settings, {
        onIdle: (idle) => {
          if (this.pollers.get(idle.taskId) === idle) this.pollers.delete(idle.taskId);
        },
        onPoll: () => {
          this.polls += 1;
        },
      });
      this.pollers.set(task.id, poller);
    }
    const subscriber: PollerSubscriber = type ? { api, type } : { api };
    poller.observe(task);
    const channel = poller.attach(subscriber);
    const uncount = this.caps.add(caller, key);
    const shared = poller;
    return {
      poller: shared,
      subscriber,
      channel,
      release: () => {
        uncount();
        shared.detach(subscriber);
      },
    };
  }
}
