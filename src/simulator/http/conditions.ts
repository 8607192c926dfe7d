/**
 * A route's conditions after it matched, in the Director's order: a deployment route looks the
 * deployment up first (so an absent one is 404 70000 to every authenticated caller, before any
 * permission check: `deployment_security.rb:26-31`), then checks the level on it; any other route
 * checks its director-wide scope (`scoping.rb`, default `admin`).
 */
import type { RequestContext } from './context.js';
import { deploymentNotFound, type SimResponse } from './response.js';
import type { RouteMatch } from './router.js';

export type Checked = { ctx: RequestContext } | { error: SimResponse };

export function routeConditions(ctx: RequestContext, match: RouteMatch): Checked {
  const { route, params } = match;
  const access = ctx.access!;
  if (route.deployment) {
    const name = params.deployment ?? '';
    const d = ctx.core.state.deployments.get(name);
    if (!d) return { error: deploymentNotFound(name) };
    if (!access.canOn(d.teams, route.deployment))
      return { error: access.refuseOn(d.teams, route.deployment) };
    return { ctx: { ...ctx, deployment: d } };
  }
  const scope = route.scope ?? 'admin';
  if (scope !== 'none' && !access.can(scope)) return { error: access.refuse(scope) };
  return { ctx };
}
