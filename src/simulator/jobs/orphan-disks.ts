/**
 * `delete_orphan_disks` and `orphan_disk` (`jobs/delete_orphan_disks.rb`, `jobs/orphan_disk.rb`,
 * `orphan_disk_manager.rb`). Deleting succeeds even for a cid the Director does not know (or the
 * IaaS has lost); orphaning an unknown disk only warns.
 */
import type { Job, JobContext } from '../tasks.js';

export function* deleteOrphanDisksJob(ctx: JobContext, cid: string): Job {
  const stage = ctx.events.stage('Deleting orphaned disks', [], 1);
  const t = stage.start(`Deleting orphaned disk ${cid}`);
  const disk = ctx.state.orphanDisks.find((d) => d.cid === cid);
  const event = {
    action: 'delete',
    objectType: 'disk',
    objectName: cid,
    deployment: disk?.deployment ?? null,
    instance: disk?.instance ?? null,
  };
  const parentId = disk ? ctx.audit(event) : null;
  yield;
  if (disk) {
    ctx.cpi(`request: {"method":"delete_disk","arguments":["${cid}"]}`);
    ctx.state.orphanDisks = ctx.state.orphanDisks.filter((d) => d !== disk);
    ctx.audit({ ...event, parentId });
  } else {
    ctx.debug(`Disk not found: ${cid}`, 'WARN');
  }
  t.finish();
  return `orphaned disk(s) ${cid} deleted`;
}

export function* orphanDiskJob(ctx: JobContext, cid: string): Job {
  const owner = [...ctx.state.deployments.values()]
    .flatMap((d) => d.instances.map((i) => ({ d, i })))
    .find(({ i }) => i.diskCid === cid);
  if (!owner) {
    ctx.events.warning(`Disk ${cid} does not exist. Orphaning is skipped`);
    return `disk ${cid} orphaned`;
  }
  const t = ctx.events.stage('Orphan disk', [], 1).start(cid);
  const instance = `${owner.i.group}/${owner.i.id}`;
  const event = { action: 'orphan', objectType: 'disk', objectName: cid, deployment: owner.d.name, instance };
  const parentId = ctx.audit(event);
  yield;
  owner.i.diskCid = null;
  ctx.state.orphanDisks.push({
    cid,
    size: 10240,
    az: owner.i.az,
    deployment: owner.d.name,
    instance,
    cloudProperties: {},
    orphanedAt: ctx.now(),
  });
  ctx.audit({ ...event, parentId });
  t.finish();
  return `disk ${cid} orphaned`;
}
