/**
 * The `vms` job behind `vms?format=full` and `instances?format=full` ("retrieve vm-stats").
 * The result output is one JSON object per line, in no particular order (a real Director writes
 * them from a thread pool; here the order is a seeded shuffle). Vitals numbers are strings,
 * process numbers are numbers. An agent that does not answer gives `job_state: "unresponsive
 * agent"`, `vitals: null` and no processes. The task's own `result` is "".
 */
import { VM_TYPE_PROPERTIES } from '../catalog.js';
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import type { Instance, Vitals, Vm } from '../types.js';
import { isoSeconds, seconds, vmsOf } from '../wire.js';
import { chunks } from './lanes.js';

const AGENTS_PER_TICK = 4;

function vitals(ctx: JobContext, vm: Vm): Vitals {
  const r = ctx.rng;
  const pct = (base: number) => Math.max(0, Math.min(100, base + r.float(-3, 3))).toFixed(1);
  const mem = Math.max(1, Math.min(99, vm.memPercent + r.float(-2, 2)));
  return {
    cpu: { sys: pct(vm.cpuUser / 3), user: pct(vm.cpuUser), wait: r.float(0, 1.5).toFixed(1) },
    mem: { kb: String(Math.round(mem * 40960)), percent: String(Math.round(mem)) },
    swap: { kb: '0', percent: '0' },
    load: [r.float(0, 2, 2).toFixed(2), r.float(0, 2, 2).toFixed(2), r.float(0, 2, 2).toFixed(2)],
    uptime: { secs: Math.max(0, seconds(ctx.now() - vm.createdAt)) },
    disk: {
      system: { percent: String(r.int(30, 55)), inode_percent: String(r.int(20, 35)) },
      ephemeral: { percent: String(vm.diskPercent), inode_percent: String(r.int(1, 10)) },
    },
  };
}

function processes(ctx: JobContext, i: Instance, vm: Vm): Record<string, unknown>[] {
  // A stopped instance's processes are stopped too (`bosh stop` stops them through monit).
  return i.jobs.map((name) => ({
    name,
    state: i.state === 'started' ? 'running' : 'stopped',
    uptime: { secs: Math.max(0, seconds(ctx.now() - vm.createdAt) - ctx.rng.int(0, 30)) },
    mem: { kb: ctx.rng.int(8_000, 900_000), percent: ctx.rng.float(0.1, 12) },
    cpu: { total: ctx.rng.float(0, 8) },
  }));
}

export function vmStateLine(ctx: JobContext, i: Instance, vm: Vm | null = i.vm): Record<string, unknown> {
  const v = vm && !vm.unresponsive ? vitals(ctx, vm) : null;
  if (v && i.diskCid)
    v.disk.persistent = { percent: String(ctx.rng.int(2, 60)), inode_percent: String(ctx.rng.int(0, 5)) };
  let jobState: string | null = null;
  if (vm) jobState = vm.unresponsive ? 'unresponsive agent' : i.state === 'started' ? 'running' : 'stopped';
  return {
    vm_cid: vm?.cid ?? null,
    active: vm ? vm.active : null,
    vm_created_at: vm ? isoSeconds(vm.createdAt) : null,
    cloud_properties: i.vmType ? { ...(VM_TYPE_PROPERTIES[i.vmType] ?? {}) } : {},
    disk_cid: i.diskCid,
    disk_cids: i.diskCid ? [i.diskCid] : [],
    ips: vm ? [...vm.ips] : [],
    agent_id: vm?.agentId ?? null,
    job_name: i.group,
    index: i.index,
    job_state: jobState,
    state: i.state,
    vm_type: i.vmType,
    vitals: v,
    processes: vm && !vm.unresponsive ? processes(ctx, i, vm) : [],
    az: i.az,
    id: i.id,
    bootstrap: i.bootstrap,
    ignore: i.ignore,
    stemcell: vm
      ? {
          name: i.stemcell?.name ?? null,
          version: i.stemcell?.version ?? null,
          api_version: i.stemcell?.apiVersion ?? null,
        }
      : { name: null, version: null, api_version: null },
  };
}

/** `format`: `vms` reports instances that have a VM; `instances` reports every instance. */
export function* vmsJob(ctx: JobContext, deployment: string, format: 'vms' | 'instances'): Job {
  ctx.debug(`Retrieving vm states for deployment '${deployment}'`, 'INFO');
  yield;
  const d = ctx.state.deployments.get(deployment);
  if (!d) throw new TaskFailure(70000, `Deployment '${deployment}' doesn't exist`);
  // `vms` reports every VM (inactive ones too) of the instances that have an active one;
  // `instances` every instance with its active VM, if any.
  const selected: [Instance, Vm | null][] =
    format === 'vms'
      ? d.instances.filter((i) => i.vm).flatMap((i) => vmsOf(i).map((vm): [Instance, Vm | null] => [i, vm]))
      : d.instances.map((i) => [i, i.vm]);
  // Agents answer a few at a time, so the result grows across polls like a real one does.
  for (const batch of chunks(ctx.rng.shuffle(selected), AGENTS_PER_TICK)) {
    for (const [i, vm] of batch) {
      if (vm?.unresponsive)
        ctx.debug(`Timed out sending 'get_state' to ${vm.agentId} after 45 seconds`, 'WARN');
      ctx.result(`${JSON.stringify(vmStateLine(ctx, i, vm))}\n`);
    }
    yield;
  }
  return '';
}
