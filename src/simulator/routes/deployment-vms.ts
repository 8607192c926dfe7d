/**
 * `GET /deployments/{name}/vms` and `/instances`. Without `format` they answer at once from the
 * Director's records (vms: one element per VM; instances: one per instance, VM or not). With
 * `format=full` they start a `vms` task ("retrieve vm-stats") and redirect to it.
 */
import type { RequestContext } from '../http/context.js';
import { json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { instanceToWire, vmsToWire } from '../wire.js';

function vmsOrInstances(ctx: RequestContext, kind: 'vms' | 'instances'): SimResponse {
  const d = ctx.deployment!;
  if (ctx.query.get('format') === 'full') {
    const task = ctx.core.operations.vmStats(d.name, kind, ctx.access!.identity.username);
    return redirectToTask(ctx.scheme, ctx.host, task.id);
  }
  // Every VM of every instance that has one, inactive VMs included (`create_vms_response`).
  if (kind === 'vms') return json(200, d.instances.flatMap(vmsToWire));
  return json(200, d.instances.map(instanceToWire));
}

export function registerDeploymentVms(router: Router): void {
  router
    .add('GET', '/deployments/:deployment/vms', (ctx) => vmsOrInstances(ctx, 'vms'), { deployment: 'read' })
    .add('GET', '/deployments/:deployment/instances', (ctx) => vmsOrInstances(ctx, 'instances'), {
      deployment: 'read',
    });
}
