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
import { OutputTail } from '../director/tail.js';
import { type OutputType, TERMINAL_TASK_STATES, type WireTask } from '../director/types.js';
import { isCredentialFailure, isTransient, type StreamError, toStreamError } from './errors.js';
import { LineBuffer } from './line-buffer.js';
import { nextPollDelay, retryDelay, type StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

/** One attached subscriber: its own credentials and its own end. */
export interface PollerSubscriber {
  readonly api: DirectorApi;
  /** Set when this subscriber must end (its credentials stopped working). */
  error?: StreamError;
}

export class OutputChannel {
  readonly tail: OutputTail;
  readonly buffer: LineBuffer;
  /** True once the task is terminal and this output was read after that. */
  done = false;

  constructor(taskId: number, type: OutputType, settings: StreamSettings) {
    this.tail = new OutputTail(taskId, type, 0);
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

  attach(subscriber: PollerSubscriber): void {
    this.subscribers.add(subscriber);
    this.ensureRunning();
  }

  /** Idempotent. The last subscriber out stops the poller at once, mid-wait or mid-call. */
  detach(subscriber: PollerSubscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    if (this.subscribers.size === 0) {
      this.stopper.abort();
      this.changed.notify();
      this.hooks.onIdle(this);
    }
  }

  /** Stops polling for good (server shutdown); subscribers wake and see `failure` or their abort. */
  stop(): void {
    this.stopper.abort();
    this.changed.notify();
  }

  /** The buffer of one output, created (and its polling started) on first use. */
  channel(type: OutputType): OutputChannel {
    let channel = this.channels.get(type);
    if (!channel) {
      channel = new OutputChannel(this.taskId, type, this.settings);
      this.channels.set(type, channel);
      this.ensureRunning();
    }
    return channel;
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
    let failingSince: number | undefined;
    let attempt = 0;
    while (!abort.aborted && !this.failure) {
      const subscriber = this.subscribers.values().next().value;
      if (!subscriber) return;
      try {
        await this.round(subscriber.api);
        failingSince = undefined;
        attempt = 0;
        if (this.finished) return;
        await sleep(nextPollDelay(this.settings), abort);
      } catch (error) {
        if (abort.aborted) return;
        if (isCredentialFailure(error)) {
          // Section 5: this subscriber's credentials stopped working; it ends, and the poller
          // goes on at once with the next live subscriber's credentials.
          subscriber.error = toStreamError(error);
          this.subscribers.delete(subscriber);
          this.changed.notify();
          if (this.subscribers.size === 0) this.detachAll();
          continue;
        }
        if (isTransient(error)) {
          failingSince ??= Date.now();
          if (Date.now() - failingSince < this.settings.unavailableAfterMs) {
            await sleep(retryDelay(this.settings, attempt++), abort);
            continue;
          }
        }
        this.failure = toStreamError(error);
        this.changed.notify();
        return;
      }
    }
  }

  /** One poll: the state, then every subscribed output (never a byte twice: OutputTail). */
  private async round(api: DirectorApi): Promise<void> {
    this.hooks.onPoll?.('task');
    const task = await api.getTask(this.taskId);
    const terminal = TERMINAL_TASK_STATES.has(task.state);
    for (const channel of [...this.channels.values()]) {
      if (channel.done) continue;
      this.hooks.onPoll?.('output');
      const lines = await channel.tail.poll(api);
      channel.buffer.append(lines);
      if (terminal) channel.done = true;
    }
    if (!this.task || stateRank(task) >= stateRank(this.task)) this.task = task;
    this.changed.notify();
  }

  private detachAll(): void {
    this.stopper.abort();
    this.hooks.onIdle(this);
  }
}

const RANK: Record<string, number> = { queued: 0, processing: 1, cancelling: 2 };

/** States only move forward: queued, processing, cancelling, then a terminal state. */
export function stateRank(task: WireTask): number {
  return TERMINAL_TASK_STATES.has(task.state) ? 3 : (RANK[task.state] ?? 0);
}
