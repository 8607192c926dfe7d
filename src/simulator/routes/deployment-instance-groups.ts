/**
 * The `instance_groups` part of `deployments_controller` (`:135-209, 250-254`): the
 * non-converging actions `POST /deployments/{d}/instance_groups/{ig}/{id}/actions/{action}` (an
 * `update_instance` task; no content type needed) and `PUT .../{id}/ignore` (JSON, 200 with an
 * empty body, no task; the lookup skips the 70002 shape check).
 */
import type { RequestContext } from '../http/context.js';
import { checkIndexOrId, findInstance, instanceNotFound } from '../http/instances.js';
import { HTML, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import type { InstanceAction } from '../jobs/instance-action.js';

function act(ctx: RequestContext, action: InstanceAction, group: string, indexOrId: string): SimResponse {
  const d = ctx.deployment!;
  const bad = checkIndexOrId(indexOrId);
  if (bad) return bad;
  const i = findInstance(d, group, indexOrId);
  if (!i) return instanceNotFound(d, group, indexOrId);
  const q = ctx.query;
  const task = ctx.core.operations.instanceAction(
    {
      deployment: d.name,
      instanceId: i.id,
      action,
      // stop reads skip_drain and hard; restart and recreate skip_drain; start nothing.
      skipDrain: action !== 'start' && q.get('skip_drain') === 'true',
      hard: action === 'stop' && q.get('hard') === 'true',
    },
    ctx.access!.identity.username,
    ctx.contextId,
  );
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

function ignore(ctx: RequestContext, group: string, indexOrId: string): SimResponse {
  const d = ctx.deployment!;
  const payload = JSON.parse(ctx.body.toString('utf8')) as { ignore?: unknown };
  const i = findInstance(d, group, indexOrId);
  if (!i) return instanceNotFound(d, group, indexOrId);
  i.ignore = payload.ignore === true;
  return { status: 200, headers: { 'Content-Type': HTML }, body: '' };
}

export function registerDeploymentInstanceGroups(router: Router): void {
  for (const action of ['start', 'stop', 'restart', 'recreate'] as const) {
    router.add(
      'POST',
      `/deployments/:deployment/instance_groups/:group/:id/actions/${action}`,
      (ctx, p) => act(ctx, action, p.group!, p.id!),
      { deployment: 'admin' },
    );
  }
  router.add(
    'PUT',
    '/deployments/:deployment/instance_groups/:group/:id/ignore',
    (ctx, p) => ignore(ctx, p.group!, p.id!),
    {
      consumes: 'application/json',
      deployment: 'admin',
    },
  );
}
