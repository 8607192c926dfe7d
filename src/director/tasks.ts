/**
 * Starting tasks and waiting for them (docs/director-api-notes.md §2). A task-starting call returns
 * the task id from the redirect at once; waiting is a separate, explicit step that polls
 * `GET /tasks/{id}` the way bosh-cli does.
 */
import type { WaitOptions } from './api.js';
import { DirectorTaskFailedError, DirectorTimeoutError } from './errors.js';
import { taskId } from './paths.js';
import { TASK_REDIRECT_STATUSES, taskIdFromRedirect } from './redirect.js';
import type { Requester, RequestSpec } from './requester.js';
import { checks, expectOne } from './shapes.js';
import { RUNNING_TASK_STATES, type WireTask } from './types.js';

export const TASK_ROUTE = 'GET /tasks/:id';

export interface WaitDefaults {
  /** The longest pause between two polls: the client's task poll interval. */
  intervalMs: number;
  /** The first pause; each next one doubles, up to `intervalMs` (a short task is seen done soon). */
  firstIntervalMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
}

/** Sends a task-starting request and returns the new task's id; redirects are not followed. */
export async function startTask(requester: Requester, spec: RequestSpec): Promise<number> {
  const response = await requester.expect(spec, TASK_REDIRECT_STATUSES);
  return taskIdFromRedirect(response, spec.route);
}

export async function getTask(requester: Requester, id: number, signal?: AbortSignal): Promise<WireTask> {
  const response = await requester.expect(
    { method: 'GET', route: TASK_ROUTE, path: `/tasks/${taskId(id, TASK_ROUTE)}`, signal },
    [200],
  );
  return expectOne<WireTask>(response, TASK_ROUTE, checks.task);
}

/**
 * Polls until the task leaves queued/processing/cancelling and returns it, whatever its final
 * state; only `done` is success, which `requireDone` checks for callers that need it. The first
 * pause is short and each next one doubles up to the poll interval: a task that takes 80 ms is
 * seen done about 70 ms later (polls at 0, 50, 150 ms), not a whole interval later, and a long one
 * is still polled only once per interval.
 */
export async function waitForTask(
  requester: Requester,
  id: number,
  options: WaitOptions,
  defaults: WaitDefaults,
): Promise<WireTask> {
  const { signal, timeoutMs } = options;
  const intervalMs = options.intervalMs ?? defaults.intervalMs;
  const deadline = timeoutMs === undefined ? undefined : defaults.now() + timeoutMs;
  let pauseMs = Math.min(defaults.firstIntervalMs, intervalMs);
  for (;;) {
    signal?.throwIfAborted();
    const task = await getTask(requester, id, signal);
    if (!RUNNING_TASK_STATES.includes(task.state)) return task;
    const left = deadline === undefined ? intervalMs : deadline - defaults.now();
    if (left <= 0) {
      throw new DirectorTimeoutError(`Task ${id} is still ${task.state} after ${timeoutMs} ms`, 'task', {
        route: TASK_ROUTE,
      });
    }
    await requester.pause(Math.min(pauseMs, left), defaults.sleep, signal);
    pauseMs = Math.min(pauseMs * 2, intervalMs);
  }
}

export function requireDone(task: WireTask, route: string): void {
  if (task.state === 'done') return;
  const detail = task.result ? `: ${task.result}` : '';
  throw new DirectorTaskFailedError(`Task ${task.id} ended ${task.state}${detail}`, task.id, task.state, {
    route,
  });
}
