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
  if (!access.canList()) return access.forbidden('read');
  const q = ctx.query;
  let tasks = [...ctx.core.state.tasks.values()];
  if ((q.get('verbose') ?? '1') === '1') tasks = tasks.filter((t) => VERBOSE_ONE_TYPES.has(t.type));
  const states = q.get('state');
  if (states !== null) {
    const wanted = new Set(states.split(','));
    tasks = tasks.filter((t) => wanted.has(t.state));
  }
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

function getTask(ctx: RequestContext, id: string): SimResponse {
  const task = findTask(ctx, id);
  if (!task) return taskNotFound(id);
  const access = ctx.access!;
  if (!access.canRead(task.teams)) return access.forbidden('read', task.teams, true);
  return json(200, taskToWire(task), JSON_TYPE);
}

function cancelOne(ctx: RequestContext, id: string): SimResponse {
  const access = ctx.access!;
  if (!access.isAdmin) return access.forbidden('admin');
  const task = findTask(ctx, id);
  if (!task) return taskNotFound(id);
  if (!ctx.core.engine.cancel(task.id)) {
    return text(400, `Cannot cancel task ${task.id}: invalid state (${task.state})`);
  }
  return empty(204);
}

const CANCELLABLE = ['queued', 'processing'];

function cancelMany(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.isAdmin) return access.forbidden('admin');
  let body: Record<string, unknown> = {};
  if (ctx.body.length > 0) {
    const parsed: unknown = JSON.parse(ctx.body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  }
  const states = Array.isArray(body.states) ? body.states.map(String) : ['queued'];
  for (const state of states) {
    if (!CANCELLABLE.includes(state)) {
      return text(400, `${state} is not one of the cancellable states: ${CANCELLABLE.join(', ')}`);
    }
  }
  const types = Array.isArray(body.types) ? body.types.map(String) : null;
  const deployment = typeof body.deployment === 'string' ? body.deployment : null;
  for (const task of ctx.core.state.tasks.values()) {
    if (!states.includes(task.state)) continue;
    if (types && !types.includes(task.type)) continue;
    if (deployment !== null && task.deployment !== deployment) continue;
    ctx.core.engine.cancel(task.id);
  }
  return empty(204);
}

export function registerTasks(router: Router): void {
  router
    .add('GET', '/tasks', listTasks)
    .add('GET', '/tasks/:id', (ctx, p) => getTask(ctx, p.id!))
    .add('DELETE', '/task/:id', (ctx, p) => cancelOne(ctx, p.id!))
    .add('POST', '/tasks/cancel', cancelMany, { consumes: 'application/json' });
}
