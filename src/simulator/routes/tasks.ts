/**
 * Task routes: `GET /tasks`, `GET /tasks/{id}`, `DELETE /task/{id}` (singular), `POST /tasks/cancel`.
 *
 * `GET /tasks` has no default limit, filters types only when `verbose` is exactly "1" (also the
 * default), orders by the timestamp column newest first (not by id), and shows a caller without
 * director read only the tasks of its admin teams.
 */
import type { RequestContext } from '../http/context.js';
import { empty, JSON_TYPE, json, type SimResponse, taskNotFound, text } from '../http/response.js';
import type { Router } from '../http/router.js';
import { type Task, VERBOSE_ONE_TYPES } from '../types.js';
import { taskToWire, timestampColumn } from '../wire.js';

/** Ruby's `String#to_i`: leading integer, else 0. */
export function rubyToI(value: string): number {
  const m = /^\s*([-+]?\d+)/.exec(value);
  return m ? Number(m[1]) : 0;
}

export function findTask(ctx: RequestContext, rawId: string): Task | undefined {
  return /^\d+$/.test(rawId) ? ctx.core.state.tasks.get(Number(rawId)) : undefined;
}

function listTasks(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  const q = ctx.query;
  let tasks = [...ctx.core.state.tasks.values()];
  if ((q.get('verbose') ?? '1') === '1') tasks = tasks.filter((t) => VERBOSE_ONE_TYPES.has(t.type));
  // `state` is split on commas; an empty value gives no states, and so no filter at all.
  const states = (q.get('state') ?? '').split(',').filter((s) => s !== '');
  if (states.length > 0) tasks = tasks.filter((t) => states.includes(t.state));
  const deployment = q.get('deployment');
  if (deployment !== null) tasks = tasks.filter((t) => t.deployment === deployment);
  const contextId = q.get('context_id');
  if (contextId !== null) tasks = tasks.filter((t) => t.contextId === contextId);
  if (!access.isRead) tasks = tasks.filter((t) => t.teams.some((team) => access.adminTeams.includes(team)));
  tasks.sort((a, b) => timestampColumn(b) - timestampColumn(a) || b.id - a.id);
  const limit = q.get('limit');
  if (limit !== null) tasks = tasks.slice(0, Math.max(1, rubyToI(limit)));
  return json(200, tasks.map(taskToWire), JSON_TYPE);
}

/**
 * The route's `list_tasks` scope runs before the lookup, so a caller holding only a team's read
 * scope gets 401 for every id, even one that does not exist (`tasks_controller.rb:101`).
 */
function getTask(ctx: RequestContext, id: string): SimResponse {
  const task = findTask(ctx, id);
  if (!task) return taskNotFound(id);
  const access = ctx.access!;
  if (!access.canOn(task.teams, 'read')) return access.refuseOn(task.teams, 'read', true);
  return json(200, taskToWire(task), JSON_TYPE);
}

function cancelOne(ctx: RequestContext, id: string): SimResponse {
  const task = findTask(ctx, id);
  if (!task) return taskNotFound(id);
  if (!ctx.core.engine.cancel(task.id)) {
    return text(400, `Cannot cancel task ${task.id}: invalid state (${task.state})`);
  }
  return empty(204);
}

const CANCELLABLE = ['queued', 'processing'];

/**
 * `POST /tasks/cancel` (`tasks_controller.rb:166-182`, `task_manager.rb:15-31`). The body must be
 * JSON (anything else is a 500, like the parse error it is). Each listed state must be
 * cancellable; `states` missing, empty or not a list means queued tasks; `types` missing, empty or
 * not a list means every type. Tasks that cannot be cancelled any more are skipped silently.
 */
function cancelMany(ctx: RequestContext): SimResponse {
  const body: unknown = JSON.parse(ctx.body.toString('utf8'));
  const selector = (body ?? {}) as Record<string, unknown>;
  if (typeof selector !== 'object' || Array.isArray(selector)) throw new Error('selector is not a hash');
  const listed = selector.states;
  if (listed !== undefined && listed !== null) {
    if (!Array.isArray(listed)) throw new Error('states is not a list');
    for (const state of listed) {
      if (!CANCELLABLE.includes(state as string)) {
        return text(400, `${state} is not one of the cancellable states: ${CANCELLABLE.join(', ')}`);
      }
    }
  }
  const states = Array.isArray(listed) && listed.length > 0 ? listed.map(String) : ['queued'];
  const types = Array.isArray(selector.types) ? selector.types.map(String) : [];
  const deployment = selector.deployment ?? null;
  for (const task of ctx.core.state.tasks.values()) {
    if (!states.includes(task.state)) continue;
    if (types.length > 0 && !types.includes(task.type)) continue;
    if (deployment !== null && task.deployment !== deployment) continue;
    ctx.core.engine.cancel(task.id);
  }
  return empty(204);
}

export function registerTasks(router: Router): void {
  router
    .add('GET', '/tasks', listTasks, { scope: 'list_tasks' })
    .add('GET', '/tasks/:id', (ctx, p) => getTask(ctx, p.id!), { scope: 'list_tasks' })
    .add('DELETE', '/task/:id', (ctx, p) => cancelOne(ctx, p.id!))
    .add('POST', '/tasks/cancel', cancelMany, { consumes: 'application/json' });
}
