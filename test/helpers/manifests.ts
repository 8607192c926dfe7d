/** Deployment manifests for the simulated Director, shared by the tests and the benchmarks. */

/** A deploy with `groups` instance groups of `instances` each: its event log grows over many polls. */
export function deployManifest(name: string, groups = 2, instances = 2, extra = ''): string {
  const igs = Array.from(
    { length: groups },
    (_, i) =>
      `- {name: ig${i}, instances: ${instances}, azs: [z1, z2], jobs: [{name: bpm, release: bpm}], vm_type: small, stemcell: default, networks: [{name: default}]${extra}}`,
  );
  return [
    `name: ${name}`,
    'releases: [{name: bpm, version: latest}]',
    'stemcells: [{alias: default, os: ubuntu-jammy, version: latest}]',
    'update: {canaries: 1, max_in_flight: 2}',
    'instance_groups:',
    ...igs,
    '',
  ].join('\n');
}
