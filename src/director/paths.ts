/**
 * Building request paths from input (docs/director-api-notes.md §12). Every segment that comes
 * from a caller is percent-encoded, `/` included, so `../tasks` as a deployment name becomes
 * `/deployments/..%2Ftasks` and can never reach another route. Requests are handed to undici as an
 * origin plus this path, which it sends verbatim (a WHATWG URL would resolve dot segments).
 */
import { DIRECTOR_DEFAULTS } from './defaults.js';
import { DirectorBadRequestError } from './errors.js';

/** Encodes one path segment. `.` and `..` are refused: encoded or not, proxies resolve them. */
export function segment(value: string, what: string, route: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new DirectorBadRequestError(`Invalid ${what}: '${value}' cannot be used in a request path`, {
      route,
    });
  }
  return encodeURIComponent(value);
}

/** A task id: a non-negative safe integer. */
export function taskId(id: number, route: string): string {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new DirectorBadRequestError(`Invalid task id: ${String(id)}`, { route });
  }
  return String(id);
}

export type QueryValue = string | number | boolean | undefined;

/**
 * `?a=1&b=x` from the defined entries, in the given order. Commas stay readable (`state=a,b`), as
 * bosh-cli sends them; Rack decodes either form.
 */
export function query(params: Record<string, QueryValue>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value)).replace(/%2C/gi, ',')}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * The `X-Bosh-Context-Id` header, checked here as the Director would (error 70010 past 64
 * characters, §9) and limited to visible ASCII so it can never split a header.
 */
export function contextIdHeader(contextId: string | undefined, route: string): Record<string, string> {
  if (contextId === undefined) return {};
  if (contextId.length > DIRECTOR_DEFAULTS.maxContextIdLength) {
    throw new DirectorBadRequestError(
      `Context id is ${contextId.length} characters; the Director accepts at most ${DIRECTOR_DEFAULTS.maxContextIdLength}`,
      { route },
    );
  }
  if (!/^[\x20-\x7e]*$/.test(contextId)) {
    throw new DirectorBadRequestError('Context id must be printable ASCII', { route });
  }
  return { 'x-bosh-context-id': contextId };
}
