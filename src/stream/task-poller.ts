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
import { isDirectorError } from '../director/errors.js';
import { TERMINAL_TASK_STATES, type WireTask } from '../director/types.js';
import { isCredentialFailure, toStreamError } from './errors.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { sleep } from './signal.js';
import { type OutputChannel, type PollerSubscriber, stateRank, TaskFollowers } from './task-followers.js';

export { OutputChannel, type PollerSubscriber, stateRank } from './task-followers.js';

export interface PollerHooks {
  /** Called once the last subscriber left and the poller stopped. */
  onIdle(poller: TaskPoller): void;
  /** Called for each Director call the poller makes (metrics). */
  onPoll?(kind: 'task' | 'output'): void;
}

export class TaskPoller extends TaskFollowers {
  private running = false;

  constructor(
    taskId: number,
    settings: StreamSettings,
    private readonly hooks: PollerHooks,
  ) {
    super(taskId, settings);
  }

  /** Attaches a subscriber; its output's buffer is created (and its polling started) on first use. */
  attach(subscriber: PollerSubscriber): OutputChannel | undefined {
    const channel = this.follow(subscriber);
    this.ensureRunning();
    return channel;
  }

  /**
   * Idempotent. An output nobody follows any more is no longer read (section 1); the last
   * subscriber out stops the poller: its wait ends at once, and a call in flight, made with a
   * subscriber's API, is cut off when that subscriber's transport ends (section 10).
   */
  detach(subscriber: PollerSubscriber): void {
    if (!this.unfollow(subscriber)) return;
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
        if (await retry.waitOut(error, abort)) continue;
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
