/** The deploy the benchmarks run: `groups` instance groups of `instances` VMs, one small job each. */
export function benchManifest(name: string, groups: number, instances: number): string {
  const igs = Array.from(
    { length: groups },
    (_, i) =>
      `- {name: ig${i}, instances: ${instances}, azs: [z1, z2], jobs: [{name: bpm, release: bpm}], vm_type: small, stemcell: default, networks: [{name: default}]}`,
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
