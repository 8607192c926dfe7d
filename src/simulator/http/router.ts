/**
 * Routing on the raw (still percent-encoded) path. Segments are matched first and decoded after,
 * one by one, as the Director's router does: `/deployments/..%2Ftasks` is the deployment named
 * `../tasks`, never `/tasks`. That is also why no URL parser touches the path (it would resolve
 * dot segments).
 */
import type { Permission } from '../permissions.js';
import type { RequestContext } from './context.js';
import type { SimResponse } from './response.js';

export type Handler = (
  ctx: RequestContext,
  params: Record<string, string>,
) => SimResponse | Promise<SimResponse>;

export interface RouteOptions {
  /** No credentials needed (`/info`, and the UAA endpoints). */
  public?: boolean;
  /** Media type the request must carry; otherwise the route does not match at all (404). */
  consumes?: string;
  /**
   * The route's `scope` condition: a director-wide permission checked after the route matched
   * and before the handler runs. `'none'` leaves every check to the handler.
   * @default "admin" (the Director's default scope), unless `deployment` is set
   */
  scope?: Permission | 'none';
  /**
   * A `/deployments/:deployment/...` route: the deployment is looked up first (404 70000 for
   * every caller when absent), then this level is checked on it, and the handler finds it in
   * `ctx.deployment`. This is the Director's deployment `authorization` condition.
   */
  deployment?: 'read' | 'admin';
}

interface Route extends RouteOptions {
  method: string;
  segments: string[];
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Splits a raw path into segments; a trailing slash is ignored (`/tasks/` is `/tasks`). */
export function splitPath(rawPath: string): string[] {
  const parts = rawPath.split('/').slice(1);
  if (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

/** The media type without parameters, lower case (`text/yaml; charset=utf-8` is `text/yaml`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): this {
    this.routes.push({ method, segments: splitPath(pattern), handler, ...options });
    return this;
  }

  match(method: string, segments: string[], contentType: string | undefined): RouteMatch | null {
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      if (route.consumes && mediaType(contentType) !== route.consumes) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const want = route.segments[i] as string;
        const got = segments[i] as string;
        if (want.startsWith(':')) {
          try {
            params[want.slice(1)] = decodeURIComponent(got);
          } catch {
            ok = false;
          }
          if (got === '') ok = false;
        } else if (want !== got) {
          ok = false;
        }
      }
      if (ok) return { route, params };
    }
    return null;
  }
}
