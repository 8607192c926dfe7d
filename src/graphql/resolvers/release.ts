import type { WireRelease } from '../../director/types.js';
import type { ReleaseResolvers, ReleaseVersionResolvers } from '../../generated/resolvers.js';
import type { Loaders } from '../loaders.js';
import type { ListedReleaseVersion, ReleaseParent, ReleaseVersionParent } from '../mappers.js';

/**
 * A release and its versions reached from a deployment start as the name and version the
 * deployments list gave: `name`, `version` and `release { name }` need nothing more, and
 * `GET /releases` (once per operation) is read only for the fields it alone answers.
 */
/** The fields of each type that read `GET /releases` (the others come with the deployments list). */
export const RELEASE_LIST_FIELDS = {
  release: new Set(['versions']),
  releaseVersion: new Set(['commitHash', 'uncommittedChanges', 'currentlyDeployed', 'jobNames']),
};

export const Release: ReleaseResolvers = {
  name: (r) => r.name,
  versions: async (r, _args, { loaders }) => {
    const release = await listedRelease(r, loaders);
    return release.release_versions.map((version) => ({ release, version }));
  },
};

export const ReleaseVersion: ReleaseVersionResolvers = {
  name: (p) => ('deployed' in p ? p.deployed.name : p.release.name),
  version: (p) => ('deployed' in p ? p.deployed.version : p.version.version),
  release: (p) => ('deployed' in p ? { name: p.deployed.name } : p.release),
  commitHash: async (p, _args, { loaders }) => (await listed(p, loaders)).version.commit_hash ?? null,
  uncommittedChanges: async (p, _args, { loaders }) =>
    (await listed(p, loaders)).version.uncommitted_changes === true,
  currentlyDeployed: async (p, _args, { loaders }) =>
    (await listed(p, loaders)).version.currently_deployed === true,
  jobNames: async (p, _args, { loaders }) => (await listed(p, loaders)).version.job_names ?? [],
};

async function listedRelease(r: ReleaseParent, loaders: Loaders): Promise<WireRelease> {
  if ('release_versions' in r) return r as WireRelease;
  return (await loaders.releases()).find((l) => l.name === r.name) ?? { name: r.name, release_versions: [] };
}

async function listed(p: ReleaseVersionParent, loaders: Loaders): Promise<ListedReleaseVersion> {
  if (!('deployed' in p)) return p;
  return findReleaseVersion(await loaders.releases(), p.deployed.name, p.deployed.version);
}

/**
 * A release version named by a deployment, looked up in the /releases list. A version the list
 * lacks (deleted between the two calls) still answers with what the deployment said.
 */
export function findReleaseVersion(
  releases: WireRelease[],
  name: string,
  version: string,
): ListedReleaseVersion {
  const release = releases.find((r) => r.name === name) ?? { name, release_versions: [] };
  const found = release.release_versions.find((v) => v.version === version);
  return {
    release,
    version: found ?? {
      version,
      commit_hash: null,
      uncommitted_changes: false,
      currently_deployed: true,
      job_names: [],
    },
  };
}
