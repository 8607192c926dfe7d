import type { StemcellResolvers } from '../../generated/resolvers.js';

export const Stemcell: StemcellResolvers = {
  name: (s) => s.name,
  version: (s) => s.version,
  operatingSystem: (s) => s.operating_system ?? null,
  cid: (s) => s.cid,
  // "" means the Director has a single CPI.
  cpi: (s) => s.cpi || null,
  apiVersion: (s) => s.api_version ?? null,
  // /stemcells lists every deployment by name, even ones the caller may not read; the deployments
  // list (already loaded for the operation, filtered by the Director for this caller) decides.
  deployments: async (s, _args, { loaders }) => {
    const byName = await loaders.deploymentsByName();
    return s.deployments.flatMap((ref) => {
      const deployment = byName.get(ref.name);
      return deployment ? [deployment] : [];
    });
  },
};
