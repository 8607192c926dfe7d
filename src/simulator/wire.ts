/**
 * The model as the Director's JSON shows it (key order as real Directors send it). Times are
 * epoch seconds, except `vm_created_at`, an ISO-8601 UTC string without fractions.
 */
import type { SimState } from './state.js';
import type { Deployment, Instance, Release, Stemcell, Task, Vm } from './types.js';
import { compareVersions } from './versions.js';

export function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function isoSeconds(ms: number): string {
  return new Date(seconds(ms) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The task's `timestamp` column: creation time while queued, start time while running, finish
 * time once finished. `GET /tasks` orders by it.
 */
export function timestampColumn(task: Task): number {
  return task.finishedAt ?? task.startedAt ?? task.createdAt;
}

export function taskToWire(task: Task): Record<string, unknown> {
  // The API hides the column while the task is queued or processing (cancelling still shows it).
  const hidden = task.state === 'queued' || task.state === 'processing';
  return {
    id: task.id,
    state: task.state,
    description: task.description,
    timestamp: hidden ? null : seconds(timestampColumn(task)),
    started_at: task.startedAt === null ? null : seconds(task.startedAt),
    result: task.result,
    user: task.user || 'admin',
    deployment: task.deployment,
    context_id: task.contextId,
  };
}

export function stemcellToWire(s: Stemcell, state: SimState): Record<string, unknown> {
  return {
    name: s.name,
    operating_system: s.os,
    version: s.version,
    cid: s.cid,
    cpi: '',
    deployments: state.stemcellDeployments(s.name, s.version).map((name) => ({ name })),
    api_version: s.apiVersion,
    id: s.id,
  };
}

export function releaseToWire(r: Release, state: SimState): Record<string, unknown> {
  return {
    name: r.name,
    release_versions: [...r.versions]
      .sort((a, b) => compareVersions(a.version, b.version))
      .map((v) => ({
        version: v.version,
        commit_hash: v.commitHash,
        uncommitted_changes: v.uncommittedChanges,
        currently_deployed: state.releaseVersionDeployed(r.name, v.version),
        job_names: v.jobs,
      })),
  };
}

export interface DeploymentExcludes {
  configs: boolean;
  releases: boolean;
  stemcells: boolean;
  lock: boolean;
}

/**
 * `used_cloud_config_state`: the newest cloud config of each name among the global ones and the
 * deployment's teams' (a deleted newest one counts as gone), against the ones it last used.
 */
export function cloudConfigStatus(d: Deployment, state: SimState): 'none' | 'latest' | 'outdated' {
  if (d.cloudConfigIds.length === 0) return 'none';
  const newest = new Map<string, { id: number; deleted: boolean }>();
  for (const c of state.configs) {
    if (c.type !== 'cloud' || (c.team !== null && !d.teams.includes(c.team))) continue;
    if ((newest.get(c.name)?.id ?? 0) < c.id) newest.set(c.name, c);
  }
  const existing = [...newest.values()].filter((c) => !c.deleted).map((c) => c.id);
  const used = [...d.cloudConfigIds].sort((a, b) => a - b);
  existing.sort((a, b) => a - b);
  return existing.length === used.length && existing.every((id, i) => id === used[i]) ? 'latest' : 'outdated';
}

export function deploymentToWire(
  d: Deployment,
  state: SimState,
  ex: DeploymentExcludes,
): Record<string, unknown> {
  // `teams` is always there, whatever is excluded.
  const out: Record<string, unknown> = { name: d.name, teams: [...d.teams] };
  if (!ex.configs) out.cloud_config = cloudConfigStatus(d, state);
  if (!ex.stemcells) out.stemcells = d.stemcells.map((s) => ({ name: s.name, version: s.version }));
  if (!ex.releases) {
    // `[name, version] <=> [...]` on the string columns: plain string order, versions included.
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    out.releases = [...d.releases]
      .sort((a, b) => cmp(a.name, b.name) || cmp(a.version, b.version))
      .map((r) => ({ name: r.name, version: r.version }));
  }
  if (!ex.lock) out.locked = state.lockOf(d.name) !== undefined;
  return out;
}

/** The fields `vms` and `instances` share: the instance and one of its VMs, if any. */
function instanceVmFields(i: Instance, vm: Vm | null): Record<string, unknown> {
  return {
    agent_id: vm?.agentId ?? null,
    cid: vm?.cid ?? null,
    job: i.group,
    index: i.index,
    id: i.id,
    az: i.az,
    ips: vm ? [...vm.ips] : [],
    vm_created_at: vm ? isoSeconds(vm.createdAt) : null,
  };
}

/** Every VM of an instance, the active one first, then inactive ones (create-swap-delete). */
export function vmsOf(i: Instance): Vm[] {
  return [...(i.vm ? [i.vm] : []), ...(i.inactiveVms ?? [])];
}

/** The elements of `GET /deployments/x/vms` for one instance: one per VM, inactive ones too. */
export function vmsToWire(i: Instance): Record<string, unknown>[] {
  return vmsOf(i).map((vm) => ({
    ...instanceVmFields(i, vm),
    active: vm.active,
    permanent_nats_credentials: false,
  }));
}

/** One element of `GET /deployments/x/instances` (every instance, VM or not; its active VM). */
export function instanceToWire(i: Instance): Record<string, unknown> {
  return { ...instanceVmFields(i, i.vm), expects_vm: i.expectsVm };
}
