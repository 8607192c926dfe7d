/**
 * Reading a JSON body by route (docs/director-api-notes.md §8): the route says what the answer is,
 * whatever its Content-Type (most are labelled `text/html`). The checks are shallow on purpose:
 * enough to refuse an answer that is plainly something else (an HTML error page, an object where a
 * list belongs) without rejecting fields a newer Director adds.
 */
import { DirectorBadResponseError } from './errors.js';
import type { DirectorResponse } from './response-errors.js';

type Check = (value: unknown) => boolean;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const hasString =
  (key: string): Check =>
  (value) =>
    isObject(value) && typeof value[key] === 'string';

export const checks = {
  any: (() => true) as Check,
  info: ((value) => isObject(value) && isObject(value.user_authentication)) as Check,
  task: ((value) =>
    isObject(value) && typeof value.id === 'number' && typeof value.state === 'string') as Check,
  named: hasString('name'),
  object: isObject as Check,
  manifest: ((value) =>
    isObject(value) && (typeof value.manifest === 'string' || value.manifest === null)) as Check,
};

export function parseJsonBody(response: DirectorResponse, route: string): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new DirectorBadResponseError(`The answer to ${route} is not JSON`, {
      route,
      status: response.status,
    });
  }
}

export function expectOne<T>(response: DirectorResponse, route: string, check: Check): T {
  const value = parseJsonBody(response, route);
  if (!check(value)) {
    throw new DirectorBadResponseError(`The answer to ${route} is not the expected object`, {
      route,
      status: response.status,
    });
  }
  return value as T;
}

export function expectList<T>(response: DirectorResponse, route: string, check: Check): T[] {
  const value = parseJsonBody(response, route);
  if (!Array.isArray(value) || !value.every(check)) {
    throw new DirectorBadResponseError(`The answer to ${route} is not the expected list`, {
      route,
      status: response.status,
    });
  }
  return value as T[];
}
