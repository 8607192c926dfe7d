import type { WireVmFull } from '../../director/types.js';
import type {
  InstanceResolvers,
  VmDetailsResolvers,
  VmProcessResolvers,
  VmResolvers,
  VmVitalsResolvers,
} from '../../generated/resolvers.js';
import type { GatewayContext } from '../context.js';
import { isoOrNull, num } from '../convert.js';
import { instanceLine, vmLine } from '../vm-lines.js';

/** The deployment of a VM or instance, from the operation's deployments list. */
async function deploymentOf(name: string, { loaders }: GatewayContext) {
  return (await loaders.deploymentsByName()).get(name) ?? { name, teams: [] };
}

export const VM: VmResolvers = {
  agentId: (p) => p.vm.agent_id ?? null,
  cid: (p) => p.vm.cid ?? null,
  job: (p) => p.vm.job,
  index: (p) => p.vm.index,
  instanceId: (p) => p.vm.id ?? null,
  az: (p) => p.vm.az ?? null,
  ips: (p) => p.vm.ips ?? [],
  createdAt: (p) => isoOrNull(p.vm.vm_created_at),
  active: (p) => p.vm.active ?? null,
  deployment: (p, _args, ctx) => deploymentOf(p.deployment, ctx),
  // Every VM of the deployment shares one `vms?format=full` task (the loader is keyed by
  // deployment), then each VM picks its own line of the result.
  details: async (p, _args, { loaders }) => p.line ?? vmLine(await loaders.vmsFull.load(p.deployment), p.vm),
};

export const Instance: InstanceResolvers = {
  id: (p) => p.instance.id,
  job: (p) => p.instance.job,
  index: (p) => p.instance.index,
  az: (p) => p.instance.az ?? null,
  agentId: (p) => p.instance.agent_id ?? null,
  cid: (p) => p.instance.cid ?? null,
  ips: (p) => p.instance.ips ?? [],
  vmCreatedAt: (p) => isoOrNull(p.instance.vm_created_at),
  expectsVm: (p) => p.instance.expects_vm === true,
  deployment: (p, _args, ctx) => deploymentOf(p.deployment, ctx),
  details: async (p, _args, { loaders }) =>
    instanceLine(await loaders.instancesFull.load(p.deployment), p.instance.id),
};

export const VMDetails: VmDetailsResolvers = {
  jobState: (d) => d.job_state ?? null,
  state: (d) => d.state ?? null,
  vmType: (d) => d.vm_type ?? null,
  bootstrap: (d) => d.bootstrap ?? null,
  ignore: (d) => d.ignore ?? null,
  // Older Directors send only `disk_cid`; bosh-cli falls back to it the same way.
  diskCids: (d: WireVmFull) => (d.disk_cids?.length ? d.disk_cids : d.disk_cid ? [d.disk_cid] : []),
  // An unresponsive agent sends `vitals: null`: that is data, not an error.
  vitals: (d) => d.vitals ?? null,
  processes: (d) => d.processes ?? [],
  cloudProperties: (d) => d.cloud_properties ?? null,
  stemcell: (d) =>
    d.stemcell
      ? {
          name: d.stemcell.name ?? null,
          version: d.stemcell.version ?? null,
          apiVersion: d.stemcell.api_version ?? null,
        }
      : null,
};

export const VMVitals: VmVitalsResolvers = {
  cpu: (v) => ({ sys: num(v.cpu?.sys), user: num(v.cpu?.user), wait: num(v.cpu?.wait) }),
  mem: (v) => ({ kb: num(v.mem?.kb), percent: num(v.mem?.percent) }),
  swap: (v) => ({ kb: num(v.swap?.kb), percent: num(v.swap?.percent) }),
  load: (v) => (v.load ?? []).map((l) => num(l)).filter((l): l is number => l !== null),
  uptimeSeconds: (v) => v.uptime?.secs ?? null,
  disks: (v) =>
    Object.entries(v.disk ?? {}).map(([name, disk]) => ({
      name,
      percent: num(disk?.percent),
      inodePercent: num(disk?.inode_percent),
    })),
};

export const VMProcess: VmProcessResolvers = {
  name: (p) => p.name,
  state: (p) => p.state,
  uptimeSeconds: (p) => p.uptime?.secs ?? null,
  memKb: (p) => p.mem?.kb ?? null,
  memPercent: (p) => p.mem?.percent ?? null,
  cpuTotal: (p) => p.cpu?.total ?? null,
};
