import type { WireRelease } from '../../director/types.js';
import type { ReleaseResolvers, ReleaseVersionResolvers } from '../../generated/resolvers.js';
import type { ReleaseVersionParent } from '../mappers.js';

export const Release: ReleaseResolvers = {
  name: (r) => r.name,
  versions: (r) => r.release_versions.map((version) => ({ release: r, version })),
};

export const ReleaseVersion: ReleaseVersionResolvers = {
  name: (p) => p.release.name,
  version: (p) => p.version.version,
  release: (p) => p.release,
  commitHash: (p) => p.version.commit_hash ?? null,
  uncommittedChanges: (p) => p.version.uncommitted_changes === true,
  currentlyDeployed: (p) => p.version.currently_deployed === true,
  jobNames: (p) => p.version.job_names ?? [],
};

/**
 * A release version named by a deployment, looked up in the /releases list. A version the list
 * lacks (deleted between the two calls) still answers with what the deployment said.
 */
export function findReleaseVersion(
  releases: WireRelease[],
  name: string,
  version: string,
): ReleaseVersionParent {
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
