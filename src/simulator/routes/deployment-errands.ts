/**
 * The errands part of `deployments_controller` (`:543-577`): `GET /deployments/{d}/errands`
 * (read on d) and `POST /deployments/{d}/errands/{name}/runs` (admin on d; a JSON body with
 * hyphenated keys, underscore spellings ignored; a body that is not JSON is a 500).
 */
import type { RequestContext } from '../http/context.js';
import { json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { errandNames } from '../jobs/errand-list.js';

function list(ctx: RequestContext): SimResponse {
  return json(
    200,
    errandNames(ctx.core.state, ctx.deployment!).map((name) => ({ name })),
  );
}

function run(ctx: RequestContext, name: string): SimResponse {
  const body = JSON.parse(ctx.body.toString('utf8')) as Record<string, unknown>;
  const instances = body.instances;
  const task = ctx.core.operations.runErrand(
    {
      deployment: ctx.deployment!.name,
      name,
      keepAlive: Boolean(body['keep-alive'] ?? false),
      whenChanged: Boolean(body['when-changed'] ?? false),
      filters: Array.isArray(instances) ? instances : [],
    },
    ctx.access!.identity.username,
    ctx.contextId,
  );
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

export function registerDeploymentErrands(router: Router): void {
  router
    .add('GET', '/deployments/:deployment/errands', list, { deployment: 'read' })
    .add('POST', '/deployments/:deployment/errands/:name/runs', (ctx, p) => run(ctx, p.name!), {
      deployment: 'admin',
    });
}
