import type { WireStemcell } from '../../director/types.js';
import type { CloudConfigStatus, DeploymentResolvers } from '../../generated/resolvers.js';
import { checkLimit, toWireStates } from '../convert.js';
import { selectedFields } from '../selection.js';
import { answeredByVmsTask, vmsOfLines } from '../vm-lines.js';

export const Deployment: DeploymentResolvers = {
  name: (d) => d.name,
  teams: (d) => d.teams ?? [],
  cloudConfig: (d) => (d.cloud_config ? (d.cloud_config.toUpperCase() as CloudConfigStatus) : null),
  locked: (d) => d.locked ?? null,
  // The list already names each release version; /releases (one call for the whole operation)
  // fills in the details, only when a field asks for them (release.ts).
  releases: (d) => (d.releases ?? []).map((ref) => ({ deployed: { name: ref.name, version: ref.version } })),
  stemcells: async (d, _args, { loaders }) => {
    const stemcells = await loaders.stemcells();
    return (d.stemcells ?? []).flatMap((ref) => {
      // One name/version can be uploaded once per CPI: all of them are this deployment's.
      const matches = stemcells.filter((s) => s.name === ref.name && s.version === ref.version);
      return matches.length > 0 ? matches : [unlistedStemcell(ref.name, ref.version)];
    });
  },
  manifest: (d, _args, { loaders }) => loaders.manifest.load(d.name),
  // With `details` asked for, the `vms?format=full` task lists the VMs too (vm-lines.ts). If it
  // fails, plain /vms lists them and each VM's details carries the task's error, as before.
  vms: async (d, _args, { loaders }, info) => {
    if (answeredByVmsTask(selectedFields(info))) {
      const lines = await loaders.vmsFull.load(d.name).catch(() => undefined);
      if (lines) return vmsOfLines(lines).map(({ vm, line }) => ({ deployment: d.name, vm, line }));
    }
    return (await loaders.vms.load(d.name)).map((vm) => ({ deployment: d.name, vm }));
  },
  instances: async (d, _args, { loaders }) =>
    (await loaders.instances.load(d.name)).map((instance) => ({ deployment: d.name, instance })),
  tasks: (d, args, { loaders }) =>
    loaders.tasks.load({
      deployment: d.name,
      states: toWireStates(args.states),
      limit: checkLimit(args.limit),
    }),
};

/** A stemcell a deployment names but /stemcells no longer lists (deleted since): keep what we know. */
function unlistedStemcell(name: string, version: string): WireStemcell {
  return {
    name,
    version,
    operating_system: null,
    cid: '',
    cpi: '',
    deployments: [],
    api_version: null,
    id: 0,
  };
}
