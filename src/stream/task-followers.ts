/**
 * What every task poller keeps for its subscribers (docs/task-stream.md, section 1), whether it
 * polls in this process (TaskPoller) or shares its lanes with other replicas (SharedTaskPoller):
 * the subscribers, one buffer per followed output, the task as last seen, and the poller's end.
 */
import type { DirectorApi } from '../director/api.js';
import { OutputTail } from '../director/tail.js';
import { type OutputType, TERMINAL_TASK_STATES, type WireTask } from '../director/types.js';
import type { StreamError } from './errors.js';
import { LineBuffer } from './line-buffer.js';
import type { StreamSettings } from './settings.js';
import { ChangeSignal } from './signal.js';

/** One attached subscriber: its own credentials, the output it follows, and its own end. */
export interface PollerSubscriber {
  readonly api: DirectorApi;
  /** The output this subscriber follows; none for `taskUpdated`. */
  readonly type?: OutputType;
  /** Set when this subscriber must end (its credentials stopped working). */
  error?: StreamError;
}

export class OutputChannel {
  readonly tail: OutputTail;
  readonly buffer: LineBuffer;
  readonly type: OutputType;
  /** True once the task is terminal and this output was read after that. */
  done = false;

  constructor(taskId: number, type: OutputType, settings: StreamSettings) {
    this.type = type;
    this.tail = new OutputTail(taskId, type, 0, { maxBytesPerPoll: settings.maxBytesPerPoll });
    this.buffer = new LineBuffer(settings.buffer);
  }
}

export abstract class TaskFollowers {
  /** The task as the poller last read it. */
  task: WireTask | undefined;
  /** Set when the stream failed for every subscriber (the Director stayed away, the task vanished). */
  failure: StreamError | undefined;
  readonly changed = new ChangeSignal();
  /** When each caller identity last re-read this task (section 11): one read per period each. */
  readonly rechecks = new Map<string, number>();
  protected readonly subscribers = new Set<PollerSubscriber>();
  protected readonly channels = new Map<OutputType, OutputChannel>();
  protected readonly stopper = new AbortController();

  constructor(
    readonly taskId: number,
    protected readonly settings: StreamSettings,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** Observe a task state read by a subscriber, so the poller never moves backwards. */
  observe(task: WireTask): void {
    if (!this.task || stateRank(task) > stateRank(this.task)) {
      this.task = task;
      this.changed.notify();
    }
  }

  /** Adds a subscriber; its output's buffer is made on first use. */
  protected follow(subscriber: PollerSubscriber): OutputChannel | undefined {
    this.subscribers.add(subscriber);
    if (!subscriber.type) return undefined;
    let channel = this.channels.get(subscriber.type);
    if (!channel) {
      channel = new OutputChannel(this.taskId, subscriber.type, this.settings);
      this.channels.set(subscriber.type, channel);
    }
    return channel;
  }

  /**
   * Removes a subscriber (false when it was not attached); an output nobody follows any more
   * loses its buffer and is no longer read (section 1).
   */
  protected unfollow(subscriber: PollerSubscriber): boolean {
    if (!this.subscribers.delete(subscriber)) return false;
    if (subscriber.type && !this.readerOf(subscriber.type)) this.channels.delete(subscriber.type);
    return true;
  }

  /**
   * The subscriber whose credentials read an output: its oldest follower (for the state alone,
   * `undefined`, the oldest subscriber).
   */
  protected readerOf(type: OutputType | undefined): PollerSubscriber | undefined {
    for (const subscriber of this.subscribers) if (!type || subscriber.type === type) return subscriber;
    return undefined;
  }
}

const RANK: Record<string, number> = { queued: 0, processing: 1, cancelling: 2 };

/** States only move forward: queued, processing, cancelling, then a terminal state. */
export function stateRank(task: WireTask): number {
  return TERMINAL_TASK_STATES.has(task.state) ? 3 : (RANK[task.state] ?? 0);
}
