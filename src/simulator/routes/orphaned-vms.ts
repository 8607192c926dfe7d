/**
 * `GET /orphaned_vms` (`orphaned_vms_controller.rb`), default admin scope. Addresses drop the
 * prefix for /32 and /128, and keep it for ranges.
 */
import { configTime } from '../configs.js';
import type { RequestContext } from '../http/context.js';
import { json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';

function list(ctx: RequestContext): SimResponse {
  return json(
    200,
    ctx.core.state.orphanedVms.map((vm) => ({
      az: vm.az,
      cid: vm.cid,
      deployment_name: vm.deployment,
      instance_name: vm.instance,
      ip_addresses: vm.ips.map((ip) => ip.replace(/\/(32|128)$/, '')),
      orphaned_at: configTime(vm.orphanedAt),
    })),
  );
}

export function registerOrphanedVms(router: Router): void {
  router.add('GET', '/orphaned_vms', list);
}
