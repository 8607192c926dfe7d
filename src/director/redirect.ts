/**
 * Task-starting calls answer with a redirect to the new task (docs/director-api-notes.md §2):
 * 302 behind nginx, 303 straight from Puma, 307 from some proxies. The Location is absolute and
 * names the Director as the *Director* sees itself (an external name we may not be able to reach,
 * or should not trust), so only its path is used and nothing is ever sent to its host.
 */
import { DirectorBadResponseError } from './errors.js';
import type { DirectorResponse } from './response-errors.js';

export const TASK_REDIRECT_STATUSES: ReadonlySet<number> = new Set([302, 303, 307]);

const TASK_PATH = /^\/tasks\/(\d+)\/?$/;

/** The task id from a task redirect's Location path (`/tasks/<id>`). */
export function taskIdFromRedirect(response: DirectorResponse, route: string): number {
  const raw = response.headers.location;
  const location = Array.isArray(raw) ? raw[0] : raw;
  if (location === undefined || location === '') {
    throw new DirectorBadResponseError(`The redirect from ${route} has no Location`, {
      route,
      status: response.status,
    });
  }
  let pathname: string;
  try {
    // A base resolves relative Locations too; its host is never used.
    pathname = new URL(location, 'http://director.invalid').pathname;
  } catch {
    pathname = '';
  }
  const match = TASK_PATH.exec(pathname);
  const id = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(id)) {
    throw new DirectorBadResponseError(`The redirect from ${route} does not point at a task`, {
      route,
      status: response.status,
    });
  }
  return id;
}
