/**
 * Response values built by routes and written by the server. Content types follow the Director's
 * framework: only a few routes label JSON as `application/json`; everything else, JSON error
 * bodies included, goes out with the framework default `text/html;charset=utf-8`.
 */

export const HTML = 'text/html;charset=utf-8';
export const JSON_TYPE = 'application/json';
export const TEXT_PLAIN = 'text/plain;charset=utf-8';

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function json(status: number, value: unknown, contentType: string = HTML): SimResponse {
  return { status, headers: { 'Content-Type': contentType }, body: JSON.stringify(value) };
}

/** A Director error: `{"code":N,"description":"..."}`, labelled as HTML like every untyped body. */
export function directorError(status: number, code: number, description: string): SimResponse {
  return json(status, { code, description });
}

export function text(status: number, body: string, contentType: string = HTML): SimResponse {
  return { status, headers: { 'Content-Type': contentType }, body };
}

/** Bodiless answer (204s, and the 500 an unexpected exception gives). */
export function empty(status: number): SimResponse {
  return { status, headers: status === 204 ? {} : { 'Content-Type': HTML }, body: '' };
}

/** Unknown route, or a known one reached with the wrong Content-Type. */
export function notFound(rawPath: string): SimResponse {
  return text(404, `Endpoint '${rawPath}' not found.`);
}

/** No or bad credentials on a route that needs them. */
export function unauthenticated(rawPath: string): SimResponse {
  const r = text(401, `Not authorized: '${rawPath}'\n`);
  r.headers['WWW-Authenticate'] = 'Basic realm="BOSH Director"';
  return r;
}

/**
 * Task-creating calls answer 302 with an absolute Location built from the request's scheme and
 * Host header (real Directors behind nginx answer 302 even to POST and DELETE).
 */
export function redirectToTask(scheme: string, host: string, taskId: number): SimResponse {
  return {
    status: 302,
    headers: { Location: `${scheme}://${host}/tasks/${taskId}`, 'Content-Type': HTML },
    body: '',
  };
}

export function taskNotFound(id: string | number): SimResponse {
  return directorError(404, 10000, `Task ${id} not found`);
}

export function deploymentNotFound(name: string): SimResponse {
  return directorError(404, 70000, `Deployment '${name}' doesn't exist`);
}
