/**
 * `/disks` and `/orphan_disks` (`disks_controller.rb`, `orphan_disks_controller.rb`), default
 * admin scope. Listing gives the orphaned disks; deleting one starts `delete orphan disks` (an
 * unknown cid still succeeds), while an active persistent disk is refused at once (520000).
 * `DELETE /disks/{cid}?orphan=true` orphans an active disk instead.
 */

import { configTime } from '../configs.js';
import type { RequestContext } from '../http/context.js';
import { directorError, json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';

function list(ctx: RequestContext): SimResponse {
  return json(
    200,
    ctx.core.state.orphanDisks.map((d) => ({
      disk_cid: d.cid,
      size: d.size,
      az: d.az,
      deployment_name: d.deployment,
      instance_name: d.instance,
      cloud_properties: d.cloudProperties,
      orphaned_at: configTime(d.orphanedAt),
    })),
  );
}

function remove(ctx: RequestContext, cid: string, orphanAllowed: boolean): SimResponse {
  const ops = ctx.core.operations;
  const user = ctx.access!.identity.username;
  if (orphanAllowed && ctx.query.get('orphan') === 'true') {
    return redirectToTask(ctx.scheme, ctx.host, ops.orphanDisk(cid, user).id);
  }
  const active = [...ctx.core.state.deployments.values()].some((d) =>
    d.instances.some((i) => i.diskCid === cid),
  );
  if (active) return directorError(400, 520000, `Deleting persistent disk is not supported: ["${cid}"]`);
  return redirectToTask(ctx.scheme, ctx.host, ops.deleteOrphanDisk(cid, user).id);
}

export function registerDisks(router: Router): void {
  router
    .add('GET', '/disks', list)
    .add('GET', '/orphan_disks', list)
    .add('DELETE', '/disks/:cid', (ctx, p) => remove(ctx, p.cid!, true))
    .add('DELETE', '/orphan_disks/:cid', (ctx, p) => remove(ctx, p.cid!, false));
}
