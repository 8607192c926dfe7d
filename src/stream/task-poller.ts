/**
 * One poller per task, shared by every subscriber of that task on every transport
 * (docs/task-stream.md, section 1). Each round it reads the task's state, then tails each output
 * someone is subscribed to with `Range: bytes=<offset>-`, so the Director sends each byte of the
 * output once, whatever the number of subscribers. Reading the state first means that once the
 * state is terminal, the output read after it is complete (bosh-cli relies on the same order).
 *
 * Subscribers pull from the poller's buffers at their own pace (see subscriptions.ts); the poller
 * only appends and signals.
 */
import type { DirectorApi } from '../director/api.js';
import { isDirectorError } from '../director/errors.js';
import { OutputTail } from '../director/tail.js';
import { type OutputType, TERMINAL_TASK_STATES, type WireTask } from '../director/types.js';
import { isCredentialFailure, isTransient, type StreamError, toStreamError } from './errors.js';
import { LineBuffer } from './line-buffer.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

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

export interface PollerHooks {
  /** Called once the last subscriber left and the poller stopped. */
  onIdle(poller: TaskPoller): void;
  /** Called for each Director call the poller makes (metrics). */
  onPoll?(kind: 'task' | 'output'): void;
}

export class TaskPoller {
  /** The task as the poller last read it. */
  task: WireTask | undefined;
  /** Set when the stream failed for every subscriber (the Director stayed away, the task vanished). */
  failure: StreamError | undefined;
  readonly changed = new ChangeSignal();
  /** When each caller identity last re-read this task (section 11): one read per period each. */
  readonly rechecks = new Map<string, number>();

  private readonly subscribers = new Set<PollerSubscriber>();
  private readonly channels = new Map<OutputType, OutputChannel>();
  private readonly stopper = new AbortController();
  private running = false;

  constructor(
    readonly taskId: number,
    private readonly settings: StreamSettings,
    private readonly hooks: PollerHooks,
  ) {}

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  /** Attaches a subscriber; its output's buffer is created (and its polling started) on first use. */
  attach(subscriber: PollerSubscriber): OutputChannel | undefined {
    this.subscribers.add(subscriber);
    let channel: OutputChannel | undefined;
    if (subscriber.type) {
      channel = this.channels.get(subscriber.type);
      if (!channel) {
        channel = new OutputChannel(this.taskId, subscriber.type, this.settings);
        this.channels.set(subscriber.type, channel);
      }
    }
    this.ensureRunning();
    return channel;
  }

  /**
   * Idempotent. An output nobody follows any more is no longer read (section 1); the last
   * subscriber out stops the poller: its wait ends at once, and a call in flight, made with a
   * subscriber's API, is cut off when that subscriber's transport ends (section 10).
   */
  detach(subscriber: PollerSubscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    this.dropUnfollowed(subscriber.type);
    if (this.subscribers.size === 0) {
      this.stopper.abort();
      this.changed.notify();
      this.hooks.onIdle(this);
    }
  }

  private dropUnfollowed(type: OutputType | undefined): void {
    if (type && !this.readerOf(type)) this.channels.delete(type);
  }

  /** The subscriber whose credentials read an output: its oldest follower. */
  private readerOf(type: OutputType): PollerSubscriber | undefined {
    for (const subscriber of this.subscribers) if (subscriber.type === type) return subscriber;
    return undefined;
  }

  /** Stops polling for good (server shutdown); subscribers wake and see `failure` or their abort. */
  stop(): void {
    this.stopper.abort();
    this.changed.notify();
  }

  /** Observe a task state read by a subscriber, so the poller never moves backwards. */
  observe(task: WireTask): void {
    if (!this.task || stateRank(task) > stateRank(this.task)) {
      this.task = task;
      this.changed.notify();
    }
  }

  private get finished(): boolean {
    if (!this.task || !TERMINAL_TASK_STATES.has(this.task.state)) return false;
    for (const channel of this.channels.values()) if (!channel.done) return false;
    return true;
  }

  private ensureRunning(): void {
    if (this.running || this.stopped || this.failure) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      // A channel added during the last round still needs its read after the terminal state.
      if (!this.stopped && !this.failure && !this.finished && this.subscribers.size > 0) this.ensureRunning();
    });
  }

  private async run(): Promise<void> {
    const abort = this.stopper.signal;
    const retry = new RetryWindow(this.settings);
    while (!abort.aborted && !this.failure) {
      const subscriber = this.subscribers.values().next().value;
      if (!subscriber) return;
      try {
        const complete = await this.round(subscriber);
        retry.succeeded();
        if (this.finished) return;
        // A round cut short (a refused subscriber, an output read only in part) goes on at once.
        if (complete) await sleep(nextPollDelay(this.settings), abort);
      } catch (error) {
        if (abort.aborted) return;
        // The subscriber whose call it was has left (section 10): go on at once with the next.
        if (isDirectorError(error, 'ABORTED') && !this.subscribers.has(subscriber)) continue;
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

  /**
   * One poll: the state with the oldest subscriber's credentials, then each followed output with
   * the credentials of one of its own followers, so an output is only ever read with credentials
   * allowed to read it (debug needs admin rights; the state needs read rights). Answers false
   * when the round must be done again at once: a subscriber's credentials were refused, or an
   * output was read only in part (a bounded slice of a huge output).
   */
  private async round(subscriber: PollerSubscriber): Promise<boolean> {
    this.hooks.onPoll?.('task');
    let task: WireTask;
    try {
      task = await subscriber.api.getTask(this.taskId);
    } catch (error) {
      if (!isCredentialFailure(error)) throw error;
      this.refuse(subscriber, error);
      return false;
    }
    const terminal = TERMINAL_TASK_STATES.has(task.state);
    let behind = false;
    // Subscribers wake only when something is new (section 11): an idle round costs nothing per
    // subscriber, whatever their number.
    let news = false;
    for (const channel of [...this.channels.values()]) {
      if (channel.done) continue;
      const reader = this.readerOf(channel.type);
      if (!reader) continue;
      this.hooks.onPoll?.('output');
      try {
        const lines = await channel.tail.poll(reader.api);
        if (lines.length > 0) {
          channel.buffer.append(lines);
          news = true;
        }
      } catch (error) {
        // Its reader left mid-read: the round goes on at once with the next follower.
        if (isDirectorError(error, 'ABORTED') && !this.subscribers.has(reader)) return false;
        if (!isCredentialFailure(error)) throw error;
        this.refuse(reader, error);
        return false;
      }
      // A poll reads a bounded slice of a huge output: the rest comes next round, at once.
      if (!channel.tail.caughtUp) {
        behind = true;
        continue;
      }
      if (terminal) {
        // The output is complete: a last line without its newline (debug logs may end so) is
        // a line too.
        const last = channel.tail.flush();
        if (last) channel.buffer.append([last]);
        channel.done = true;
        news = true;
      }
    }
    if (!this.task || stateRank(task) > stateRank(this.task)) news = true;
    if (!this.task || stateRank(task) >= stateRank(this.task)) this.task = task;
    if (news) this.changed.notify();
    return !behind;
  }

  /**
   * Section 1.1: the Director refused these credentials (an expired token, a lost scope). Only
   * their subscriber ends; the others go on with their own.
   */
  private refuse(subscriber: PollerSubscriber, error: unknown): void {
    subscriber.error = toStreamError(error);
    this.detach(subscriber);
    this.changed.notify();
  }
}

const RANK: Record<string, number> = { queued: 0, processing: 1, cancelling: 2 };

/** States only move forward: queued, processing, cancelling, then a terminal state. */
export function stateRank(task: WireTask): number {
  return TERMINAL_TASK_STATES.has(task.state) ? 3 : (RANK[task.state] ?? 0);
}
