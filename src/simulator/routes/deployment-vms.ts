/**
 * `GET /deployments/{name}/vms` and `/instances`. Without `format` they answer at once from the
 * Director's records (vms: one element per VM; instances: one per instance, VM or not). With
 * `format=full` they start a `vms` task ("retrieve vm-stats") and redirect to it.
 */
import type { RequestContext } from '../http/context.js';
import { json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { instanceToWire, vmToWire } from '../wire.js';
import { guardDeployment } from './deployments.js';

function vmsOrInstances(ctx: RequestContext, name: string, kind: 'vms' | 'instances'): SimResponse {
  const g = guardDeployment(ctx, name, 'read');
  if ('error' in g) return g.error;
  if (ctx.query.get('format') === 'full') {
    const task = ctx.core.operations.vmStats(name, kind, ctx.access!.identity.username);
    return redirectToTask(ctx.scheme, ctx.host, task.id);
  }
  if (kind === 'vms') return json(200, g.d.instances.filter((i) => i.vm).map(vmToWire));
  return json(200, g.d.instances.map(instanceToWire));
}

export function registerDeploymentVms(router: Router): void {
  router
    .add('GET', '/deployments/:name/vms', (ctx, p) => vmsOrInstances(ctx, p.name!, 'vms'))
    .add('GET', '/deployments/:name/instances', (ctx, p) => vmsOrInstances(ctx, p.name!, 'instances'));
}
