/**
 * The task stream registry: one TaskPoller per task and one RunningTasksPoller per (credentials,
 * filter), and the subscriptions that pull from them (docs/task-stream.md). It knows nothing of
 * GraphQL; the subscription resolvers adapt it.
 */
import { createHash } from 'node:crypto';
import type { DirectorApi } from '../director/api.js';
import { OutputTail } from '../director/tail.js';
import {
  type OutputType,
  TERMINAL_TASK_STATES,
  type WireTask,
  type WireTaskEvent,
} from '../director/types.js';
import { isCredentialFailure, isTransient, StreamError, toStreamError } from './errors.js';
import { mapIterator } from './iterators.js';
import { type OutputLine, parseEventRecord } from './records.js';
import { RetryWindow } from './retry-window.js';
import { RunningTasksPoller } from './running-tasks.js';
import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from './settings.js';
import { sleep } from './signal.js';
import { type PollerSubscriber, stateRank, TaskPoller } from './task-poller.js';

/** Outputs the Director gives only to admins of the task; the others need read rights only. */
const ADMIN_ONLY_OUTPUTS: ReadonlySet<OutputType> = new Set(['debug', 'cpi']);

/**
 * Asks for one byte of an admin-only output with the subscriber's own credentials, from far past
 * its end, so the Director answers 416 without sending the log, or refuses with a 401. Bounded,
 * so a Director that ignores Range sends at most its 200 and the read stays cheap to refuse.
 */
async function authorizeOutput(api: DirectorApi, taskId: number, type: OutputType): Promise<void> {
  await api.readTaskOutput(taskId, type, 2 ** 40, 2 ** 40);
}

export interface EventItem {
  record: WireTaskEvent;
  /** Byte offset just past the record: its cursor. */
  end: number;
}

export interface StreamStats {
  subscriptions: number;
  taskPollers: number;
  runningTasksPollers: number;
  /** Director calls made by pollers since start. */
  polls: number;
}

export class TaskStreams {
  readonly settings: StreamSettings;
  private readonly pollers = new Map<number, TaskPoller>();
  private readonly runningPollers = new Map<string, RunningTasksPoller>();
  private liveSubscriptions = 0;
  private polls = 0;

  constructor(settings: Partial<StreamSettings> = {}) {
    this.settings = { ...DEFAULT_STREAM_SETTINGS, ...settings };
  }

  stats(): StreamStats {
    return {
      subscriptions: this.liveSubscriptions,
      taskPollers: this.pollers.size,
      runningTasksPollers: this.runningPollers.size,
      polls: this.polls,
    };
  }

  /** Every event record of a task, in order, from `fromOffset` (section 2), parsed. */
  async taskEvents(
    api: DirectorApi,
    taskId: number,
    fromOffset = 0,
  ): Promise<AsyncIterableIterator<EventItem>> {
    const lines = await this.taskOutput(api, taskId, 'event', fromOffset);
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
  ): Promise<AsyncIterableIterator<OutputLine>> {
    const attached = await this.attach(api, taskId, type);
    const { poller, subscriber } = attached;
    if (!attached.channel) throw new Error('an output subscriber always has a channel');
    const channel = attached.channel;
    const catchUp = (tail: OutputTail, signal: AbortSignal) => this.catchUp(tail, api, signal);
    const recheck = this.rechecker(api, taskId, type);
    const settings = this.settings;
    async function* produce(signal: AbortSignal): AsyncGenerator<OutputLine> {
      let next = fromOffset;
      const recheckAt = () =>
        recheck().catch((error: unknown) => Promise.reject(toStreamError(error).at(next)));
      // Section 4: reads below the buffer that bring nothing back off like failed reads.
      const stalls = new RetryWindow(settings);
      while (!signal.aborted) {
        if (subscriber.error) throw subscriber.error.at(next);
        await recheckAt();
        if (next < channel.buffer.start) {
          // Section 4: the records this subscriber lacks left the buffer; read them again from
          // the Director with its own credentials, from its own position.
          const tail = new OutputTail(taskId, type, next, { maxBytesPerPoll: settings.maxBytesPerPoll });
          let lines: OutputLine[];
          try {
            lines = await catchUp(tail, signal);
          } catch (error) {
            throw toStreamError(error).at(next);
          }
          const before = next;
          for (const line of lines) {
            if (line.start < next) continue;
            // A long batch to a slow client still honours the credentials re-check.
            await recheckAt();
            yield line;
            next = line.end;
          }
          next = Math.max(next, Math.min(tail.offset, channel.buffer.start));
          if (next > before) {
            stalls.succeeded();
            continue;
          }
          // The Director answered nothing below the buffer (a 204, a 416, a shorter output):
          // back off as after a failure, and give up with the cursor once it lasts.
          const wait = stalls.failed();
          if (wait === undefined) {
            throw new StreamError(
              'DIRECTOR_ERROR',
              'The Director no longer serves this part of the output.',
              next,
            );
          }
          await sleep(wait, signal);
          continue;
        }
        const line = channel.buffer.firstFrom(next);
        if (line) {
          yield line;
          next = line.end;
          continue;
        }
        if (channel.done) return;
        if (poller.failure) throw poller.failure.at(next);
        await poller.changed.wait(signal);
      }
    }
    return this.track(produce, () => poller.detach(subscriber));
  }

  /** The task now, then each time its state changes; ends at a terminal state (section 7). */
  async taskUpdated(api: DirectorApi, taskId: number): Promise<AsyncIterableIterator<WireTask>> {
    const { poller, subscriber, task } = await this.attach(api, taskId);
    const recheck = this.rechecker(api, taskId, undefined);
    async function* produce(signal: AbortSignal): AsyncGenerator<WireTask> {
      let last = task;
      yield last;
      while (!signal.aborted && !TERMINAL_TASK_STATES.has(last.state)) {
        if (subscriber.error) throw subscriber.error;
        await recheck();
        const current = poller.task;
        if (current && stateRank(current) > stateRank(last)) {
          last = current;
          yield last;
          continue;
        }
        if (poller.failure) throw poller.failure;
        await poller.changed.wait(signal);
      }
    }
    return this.track(produce, () => poller.detach(subscriber));
  }

  /** The running tasks now, then each time the list changes (section 7). */
  runningTasks(
    api: DirectorApi,
    authorization: string | undefined,
    deployment: string | undefined,
  ): AsyncIterableIterator<WireTask[]> {
    // Keyed by a hash of the credentials, so the registry never holds them as a readable key.
    const key = `${createHash('sha256')
      .update(authorization ?? '')
      .digest('base64url')}|${deployment ?? ''}`;
    let poller = this.runningPollers.get(key);
    if (!poller || poller.failure) {
      poller = new RunningTasksPoller(
        key,
        api,
        deployment,
        this.settings,
        (idle) => {
          if (this.runningPollers.get(idle.key) === idle) this.runningPollers.delete(idle.key);
        },
        () => {
          this.polls += 1;
        },
      );
      this.runningPollers.set(key, poller);
    }
    const shared = poller;
    shared.attach();
    async function* produce(signal: AbortSignal): AsyncGenerator<WireTask[]> {
      let seen = 0;
      while (!signal.aborted) {
        if (shared.version > seen) {
          seen = shared.version;
          yield shared.tasks;
          continue;
        }
        if (shared.failure) throw shared.failure;
        await shared.changed.wait(signal);
      }
    }
    return this.track(produce, () => shared.detach());
  }

  /** Stops every poller (server shutdown). */
  close(): void {
    for (const poller of this.pollers.values()) poller.stop();
    for (const poller of this.runningPollers.values()) poller.stop();
    this.pollers.clear();
    this.runningPollers.clear();
  }

  /** One catch-up read, retried like the poller's own reads while the Director is briefly away. */
  private async catchUp(tail: OutputTail, api: DirectorApi, signal: AbortSignal): Promise<OutputLine[]> {
    const retry = new RetryWindow(this.settings);
    for (;;) {
      try {
        return await tail.poll(api);
      } catch (error) {
        const wait = isTransient(error) && !signal.aborted ? retry.failed() : undefined;
        if (wait === undefined) throw error;
        await sleep(wait, signal);
      }
    }
  }

  /**
   * Section 1.1: a subscriber attaches only after its own credentials read the task (one
   * `GET /tasks/{id}`), and, for the admin-only outputs (debug, cpi), that output too, so it never
   * receives records its credentials may not read.
   */
  private async attach(api: DirectorApi, taskId: number, type?: OutputType) {
    const task = await api.getTask(taskId);
    if (type && ADMIN_ONLY_OUTPUTS.has(type)) await authorizeOutput(api, taskId, type);
    let poller = this.pollers.get(taskId);
    if (!poller || poller.stopped || poller.failure) {
      poller = new TaskPoller(taskId, this.settings, {
        onIdle: (idle) => {
          if (this.pollers.get(idle.taskId) === idle) this.pollers.delete(idle.taskId);
        },
        onPoll: () => {
          this.polls += 1;
        },
      });
      this.pollers.set(taskId, poller);
    }
    const subscriber: PollerSubscriber = type ? { api, type } : { api };
    poller.observe(task);
    const channel = poller.attach(subscriber);
    return { poller, subscriber, task, channel };
  }

  /**
   * Section 1.1: every `reauthorizeMs` a subscriber's own credentials read the task again, so a
   * subscriber whose token expired or whose scope was removed stops receiving records, even when
   * the poller reads with someone else's credentials.
   */
  private rechecker(api: DirectorApi, taskId: number, type: OutputType | undefined): () => Promise<void> {
    let checkedAt = Date.now();
    return async () => {
      if (Date.now() - checkedAt < this.settings.reauthorizeMs) return;
      checkedAt = Date.now();
      try {
        await api.getTask(taskId);
        if (type && ADMIN_ONLY_OUTPUTS.has(type)) await authorizeOutput(api, taskId, type);
      } catch (error) {
        // Only a refusal ends the subscription; a Director that is briefly away is the poller's
        // business (section 5).
        if (isCredentialFailure(error)) throw toStreamError(error);
      }
    };
  }

  /**
   * Wraps a producer so that `return()` (a client unsubscribing, an SSE connection dropping, a
   * WebSocket closing) releases the subscription at once, even while the producer waits.
   */
  private track<T>(
    produce: (signal: AbortSignal) => AsyncGenerator<T>,
    release: () => void,
  ): AsyncIterableIterator<T> {
    const abort = new AbortController();
    const generator = produce(abort.signal);
    this.liveSubscriptions += 1;
    let released = false;
    const finish = () => {
      if (released) return;
      released = true;
      this.liveSubscriptions -= 1;
      abort.abort();
      release();
    };
    return {
      async next() {
        try {
          const result = await generator.next();
          if (result.done) finish();
          return result;
        } catch (error) {
          finish();
          throw error instanceof StreamError ? error : toStreamError(error);
        }
      },
      async return() {
        finish();
        // The producer may be mid-call; it sees the abort when that call ends.
        void generator.return(undefined).catch(() => undefined);
        return { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        finish();
        void generator.return(undefined).catch(() => undefined);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
