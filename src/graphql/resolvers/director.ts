import type { DirectorResolvers } from '../../generated/resolvers.js';

export const Director: DirectorResolvers = {
  name: (info) => info.name,
  uuid: (info) => info.uuid,
  version: (info) => info.version,
  user: (info) => info.user ?? null,
  cpi: (info) => info.cpi,
  stemcellOs: (info) => info.stemcell_os ?? null,
  stemcellVersion: (info) => info.stemcell_version ?? null,
  authentication: (info) => {
    const { type, options } = info.user_authentication;
    return {
      type: type === 'basic' ? 'BASIC' : type === 'uaa' ? 'UAA' : 'OTHER',
      // bosh-cli uses only `url`; `urls[0]` is the same value on Directors that send both.
      uaaUrl: type === 'uaa' ? (options.url ?? options.urls?.[0] ?? null) : null,
    };
  },
  features: (info) =>
    Object.entries(info.features ?? {})
      .map(([name, feature]) => ({ name, enabled: feature.status === true, extras: feature.extras ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
};
