/** What a successful deploy leaves behind: the deployment row as the next reads see it. */
import type { JobContext } from '../tasks.js';
import type { Deployment, Instance, Vm } from '../types.js';
import type { DeployRequest } from './deploy.js';
import type { DeployPlan } from './plan.js';

/** A fresh VM with an address in its AZ and a seeded resource baseline. */
export function newVm(ctx: JobContext, az: string | null): Vm {
  return {
    cid: ctx.rng.uuid(),
    agentId: ctx.rng.uuid(),
    ips: [ctx.state.allocateIp(az)],
    createdAt: ctx.now(),
    active: true,
    unresponsive: false,
    memPercent: ctx.rng.float(8, 60),
    cpuUser: ctx.rng.float(0.5, 25),
    diskPercent: ctx.rng.int(5, 70),
  };
}

/** The row a deploy creates at once, before its task runs (and that stays if it fails). */
export function emptyDeployment(name: string, teams: string[]): Deployment {
  return {
    name,
    teams: [...teams],
    manifest: null,
    releases: [],
    stemcells: [],
    cloudConfigIds: [],
    runtimeConfigIds: [],
    instances: [],
  };
}

export function applyPlan(
  ctx: JobContext,
  req: DeployRequest,
  plan: DeployPlan,
  ids: Map<string, string>,
  vms: Map<string, Vm>,
): void {
  const { state } = ctx;
  let d = state.deployments.get(req.name);
  if (!d) {
    d = emptyDeployment(req.name, req.teams);
    state.deployments.set(req.name, d);
  }
  const instances: Instance[] = [];
  for (const g of plan.groups) {
    for (const p of g.instances) {
      const key = `${p.group}/${p.index}`;
      const fresh = vms.get(key);
      const old = p.existing?.vm ?? null;
      // A recreated VM gives its address back; so does a detached instance's deleted one.
      if (old && (fresh || p.desired === 'detached')) for (const ip of old.ips) state.releaseIp(ip);
      const vm = g.errand || p.desired === 'detached' ? null : (fresh ?? old);
      instances.push({
        group: g.name,
        index: p.index,
        id: ids.get(key) ?? ctx.rng.uuid(),
        az: p.az,
        bootstrap: p.index === 0,
        ignore: p.existing?.ignore ?? false,
        state: p.desired,
        inactiveVms: p.existing?.inactiveVms,
        expectsVm: !g.errand,
        vm,
        diskCid: g.persistentDisk ? (p.existing?.diskCid ?? ctx.rng.uuid()) : null,
        vmType: g.vmType,
        jobs: g.jobs,
        stemcell: { name: g.stemcell.name, version: g.stemcell.version, apiVersion: g.stemcell.apiVersion },
        specHash: p.specHash,
      });
    }
  }
  for (const gone of plan.obsolete) for (const ip of gone.vm?.ips ?? []) state.releaseIp(ip);
  d.instances = instances;
  d.manifest = req.manifestText;
  d.releases = plan.releases.map((r) => ({ ...r }));
  d.stemcells = plan.stemcells.map((s) => ({ name: s.name, version: s.version }));
  d.cloudConfigIds = [...(req.configs?.cloud ?? state.latestSet('cloud', d.teams).map((c) => c.id))];
  d.runtimeConfigIds = [...(req.configs?.runtime ?? state.latestSet('runtime', d.teams).map((c) => c.id))];
  for (const pkg of plan.compile) state.compiled.add(pkg.key);
}
