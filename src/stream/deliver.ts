/**
 * What each attached subscriber runs: it pulls from its poller's buffers at its own pace, catches
 * up from the Director when it fell behind them, and re-checks its own credentials on schedule
 * (docs/task-stream.md sections 1.1, 4, 7). No GraphQL, no registry state.
 */
import type { DirectorApi } from '../director/api.js';
import { OutputTail } from '../director/tail.js';
import { type OutputType, TERMINAL_TASK_STATES, type WireTask } from '../director/types.js';
import { isCredentialFailure, isTransient, StreamError, toStreamError } from './errors.js';
import type { TaskSource } from './fleet.js';
import type { OutputLine } from './records.js';
import { RetryWindow } from './retry-window.js';
import type { RunningTasksPoller } from './running-tasks.js';
import type { StreamSettings } from './settings.js';
import { sleep } from './signal.js';
import { type OutputChannel, type PollerSubscriber, stateRank } from './task-poller.js';

/** Outputs the Director gives only to admins of the task; the others need read rights only. */
export const ADMIN_ONLY_OUTPUTS: ReadonlySet<OutputType> = new Set(['debug', 'cpi']);

/**
 * Asks for one byte of an admin-only output with the subscriber's own credentials, from far past
 * its end, so the Director answers 416 without sending the log, or refuses with a 401. Bounded,
 * so a Director that ignores Range sends at most its 200 and the read stays cheap to refuse.
 */
export async function authorizeOutput(api: DirectorApi, taskId: number, type: OutputType): Promise<void> {
  await api.readTaskOutput(taskId, type, 2 ** 40, 2 ** 40);
}

/** When each caller identity last re-read a task, by `<identity>|<admin-only output?>`. */
export type RecheckTimes = Map<string, number>;

/**
 * Section 1.1: every `reauthorizeMs` a subscriber's own credentials read the task again, so a
 * subscriber whose token expired or whose scope was removed stops receiving records, even when
 * the poller reads with someone else's credentials. Section 11: one read per distinct set of
 * credentials per period (`shared`, kept by the task's poller), and the first one at a random
 * moment of the period, so that a crowd that subscribed at once does not re-read at once.
 */
export function rechecker(
  api: DirectorApi,
  taskId: number,
  type: OutputType | undefined,
  settings: StreamSettings,
  shared?: { times: RecheckTimes; caller: string },
): () => Promise<void> {
  const key = shared ? `${shared.caller}|${type && ADMIN_ONLY_OUTPUTS.has(type) ? 'admin' : 'read'}` : '';
  let checkedAt = Date.now() - Math.random() * settings.reauthorizeMs;
  return async () => {
    const now = Date.now();
    const others = shared?.times.get(key);
    if (others !== undefined && others > checkedAt) checkedAt = others;
    if (now - checkedAt < settings.reauthorizeMs) return;
    checkedAt = now;
    shared?.times.set(key, now);
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

/** One catch-up read, retried like the poller's own reads while the Director is briefly away. */
async function catchUp(
  tail: OutputTail,
  api: DirectorApi,
  settings: StreamSettings,
  signal: AbortSignal,
): Promise<OutputLine[]> {
  const retry = new RetryWindow(settings);
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

export interface OutputDelivery {
  api: DirectorApi;
  /** The subscriber's caller identity, for sharing re-reads with its peers. */
  caller: string;
  taskId: number;
  type: OutputType;
  fromOffset: number;
  poller: TaskSource;
  subscriber: PollerSubscriber;
  channel: OutputChannel;
  settings: StreamSettings;
}

/** The lines of one output for one subscriber, from its own position (sections 2 to 4). */
export async function* deliverOutput(d: OutputDelivery, signal: AbortSignal): AsyncGenerator<OutputLine> {
  const { channel, poller, subscriber, settings } = d;
  const recheck = rechecker(d.api, d.taskId, d.type, settings, { times: poller.rechecks, caller: d.caller });
  let next = d.fromOffset;
  const recheckAt = () => recheck().catch((error: unknown) => Promise.reject(toStreamError(error).at(next)));
  // Section 4: reads below the buffer that bring nothing back off like failed reads.
  const stalls = new RetryWindow(settings);
  while (!signal.aborted) {
    if (subscriber.error) throw subscriber.error.at(next);
    await recheckAt();
    if (next < channel.buffer.start) {
      // Section 4: the records this subscriber lacks left the buffer; read them again from the
      // Director with its own credentials, from its own position.
      const tail = new OutputTail(d.taskId, d.type, next, { maxBytesPerPoll: settings.maxBytesPerPoll });
      let lines: OutputLine[];
      try {
        lines = await catchUp(tail, d.api, settings, signal);
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
      // The Director answered nothing below the buffer (a 204, a 416, a shorter output): back
      // off as after a failure, and give up with the cursor once it lasts.
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

export interface UpdateDelivery {
  api: DirectorApi;
  caller: string;
  taskId: number;
  /** The task as the subscriber's own authorization read saw it. */
  task: WireTask;
  poller: TaskSource;
  subscriber: PollerSubscriber;
  settings: StreamSettings;
}

/** The task now, then each time its state moves forward; ends at a terminal state (section 7). */
export async function* deliverUpdates(d: UpdateDelivery, signal: AbortSignal): AsyncGenerator<WireTask> {
  const { poller, subscriber } = d;
  const recheck = rechecker(d.api, d.taskId, undefined, d.settings, {
    times: poller.rechecks,
    caller: d.caller,
  });
  let last = poller.task && stateRank(poller.task) > stateRank(d.task) ? poller.task : d.task;
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

/** The running tasks now, then each time the list changes (section 7). */
export async function* deliverRunning(
  poller: RunningTasksPoller,
  signal: AbortSignal,
): AsyncGenerator<WireTask[]> {
  let seen = 0;
  while (!signal.aborted) {
    if (poller.version > seen) {
      seen = poller.version;
      yield poller.tasks;
      continue;
    }
    if (poller.failure) throw poller.failure;
    await poller.changed.wait(signal);
  }
}
