/**
 * Director-wide reads: `GET /stemcells`, `GET /releases` (both visible in full to any team admin),
 * `GET /locks` (director read only) and `GET /configs`.
 */
import type { RequestContext } from '../http/context.js';
import { directorError, JSON_TYPE, json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { releaseToWire, stemcellToWire } from '../wire.js';

/** Lock expiry as the Director shows it: `"<epoch seconds>.<microseconds>"`. */
export function lockTimeout(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/** A held lock is renewed while its task runs, so it always expires a little in the future. */
const LOCK_EXPIRY_MS = 10_000;

function stemcells(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.canList()) return access.forbidden('read');
  const { state } = ctx.core;
  const sorted = [...state.stemcells].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id,
  );
  return json(
    200,
    sorted.map((s) => stemcellToWire(s, state)),
  );
}

function releases(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.canList()) return access.forbidden('read');
  const { state } = ctx.core;
  const sorted = [...state.releases.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return json(
    200,
    sorted.map((r) => releaseToWire(r, state)),
  );
}

function locks(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.isRead) return access.forbidden('read');
  const now = ctx.core.clock.now();
  const list = [...ctx.core.state.locks.values()].map((l) => ({
    type: 'deployment',
    resource: [l.deployment],
    timeout: lockTimeout(now + LOCK_EXPIRY_MS),
    task_id: String(l.taskId),
  }));
  return json(200, list, JSON_TYPE);
}

function configTime(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

function configs(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.canList()) return access.forbidden('read');
  const latest = ctx.query.get('latest');
  if (latest === null) return directorError(400, 40001, "'latest' is required");
  const { state } = ctx.core;
  const current = new Set(state.latestConfigs().map((c) => c.id));
  let list = latest === 'true' ? state.latestConfigs() : [...state.configs];
  const type = ctx.query.get('type');
  if (type !== null) list = list.filter((c) => c.type === type);
  const name = ctx.query.get('name');
  if (name !== null) list = list.filter((c) => c.name === name);
  list.sort((a, b) => b.id - a.id);
  return json(
    200,
    list.map((c) => ({
      content: c.content,
      id: String(c.id),
      type: c.type,
      name: c.name,
      created_at: configTime(c.createdAt),
      team: c.team,
      current: current.has(c.id),
    })),
  );
}

export function registerCatalog(router: Router): void {
  router
    .add('GET', '/stemcells', stemcells)
    .add('GET', '/releases', releases)
    .add('GET', '/locks', locks)
    .add('GET', '/configs', configs);
}
