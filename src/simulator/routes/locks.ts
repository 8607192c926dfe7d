/**
 * `GET /locks` (`locks_controller.rb`), scope `read`. The route first deletes locks that expired
 * 60 s or more ago; the rest are listed in table order, every value a string: `type` and
 * `resource` from the lock name split on `:`, `timeout` the expiry as `%s.%6N`, `task_id` the
 * task that created the row.
 */
import type { RequestContext } from '../http/context.js';
import { JSON_TYPE, json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import type { HeldLock } from '../types.js';

/** A lock expires 241 s after it is taken and is renewed every 120 s (`lock.rb:20, 40, 50`). */
const EXPIRATION_MS = 241_000;
const RENEW_MS = 120_000;

/** The expiry of a held lock at `now`: its last renewal plus 241 s. */
export function lockExpiry(lock: HeldLock, now: number): number {
  const renewals = Math.floor(Math.max(0, now - lock.acquiredAt) / RENEW_MS);
  return lock.acquiredAt + renewals * RENEW_MS + EXPIRATION_MS;
}

/** Lock expiry as the Director shows it: `"<epoch seconds>.<microseconds>"`. */
export function lockTimeout(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

export function lockToWire(lock: HeldLock, now: number): Record<string, unknown> {
  const [, type = '', ...resource] = lock.name.split(':');
  return {
    type,
    resource,
    timeout: lockTimeout(lockExpiry(lock, now)),
    task_id: String(lock.taskId),
  };
}

function locks(ctx: RequestContext): SimResponse {
  const now = ctx.core.clock.now();
  const list = [...ctx.core.state.locks.values()].map((l) => lockToWire(l, now));
  return json(200, list, JSON_TYPE);
}

export function registerLocks(router: Router): void {
  router.add('GET', '/locks', locks, { scope: 'read' });
}
