/**
 * The fixed content the seed is built from: release and stemcell catalogs and the cloud and
 * runtime configs (the seeded manifests are in seed-manifests.ts). Ids, cids, ips and uuids are
 * not here: they come from the seeded PRNG while the history is replayed (see seed.ts).
 */

export const STEMCELL_NAME = 'bosh-warden-boshlite-ubuntu-jammy-go_agent';
export const STEMCELL_OS = 'ubuntu-jammy';
/** The Director VM's own stemcell, reported by `/info`. */
export const DIRECTOR_STEMCELL_VERSION = '1.445';

export interface CatalogRelease {
  name: string;
  jobs: string[];
  packages: string[];
  /** Versions in upload order: the first batch is uploaded a day before the second. */
  versions: [older: string, newer: string];
  /** Dev releases are uploaded with uncommitted changes, as `bosh create-release --force` makes them. */
  dev?: boolean;
  /** Jobs with a `bin/run` template: they can run as errands. */
  errands?: string[];
}

export const CATALOG_RELEASES: CatalogRelease[] = [
  { name: 'bpm', jobs: ['bpm'], packages: ['bpm', 'bpm-runc'], versions: ['1.2.16', '1.2.19'] },
  {
    name: 'nats',
    jobs: ['nats', 'nats-tls', 'nats-smoke-tests'],
    packages: ['nats-server', 'nats-tls-healthcheck', 'golang-1.22-linux'],
    versions: ['56.10.0', '56.15.0'],
    errands: ['nats-smoke-tests'],
  },
  {
    name: 'routing',
    jobs: ['gorouter', 'route_registrar', 'routing-api', 'tcp_router'],
    packages: ['gorouter', 'routing-api', 'tcp_router', 'route_registrar', 'golang-1.22-linux'],
    versions: ['0.297.0', '0.301.0'],
  },
  {
    name: 'diego',
    jobs: ['bbs', 'rep', 'auctioneer', 'file_server', 'route_emitter'],
    packages: [
      'bbs',
      'rep',
      'auctioneer',
      'file_server',
      'route_emitter',
      'healthcheck',
      'golang-1.22-linux',
    ],
    versions: ['2.99.0', '2.101.0'],
  },
  {
    name: 'postgres',
    jobs: ['postgres', 'bbr-postgres-db'],
    packages: ['postgres-15', 'postgres-common'],
    versions: ['48', '49'],
  },
  {
    name: 'zookeeper',
    jobs: ['zookeeper', 'smoke-tests', 'status'],
    packages: ['golang-1.22-linux', 'java', 'smoke-tests', 'zookeeper'],
    versions: ['0.0.10', '0.0.11'],
    errands: ['smoke-tests', 'status'],
  },
  {
    name: 'redis',
    jobs: ['redis', 'redis-sentinel', 'redis-smoke-tests'],
    packages: ['redis', 'redis-common'],
    versions: ['15.2.0', '16.0.0'],
    errands: ['redis-smoke-tests'],
  },
  {
    name: 'concourse',
    jobs: ['web', 'worker', 'bbr-atcdb'],
    packages: ['concourse', 'fly', 'golang-1.22-linux'],
    versions: ['7.11.2', '7.12.0'],
  },
  {
    name: 'nginx',
    jobs: ['nginx'],
    packages: ['nginx', 'pcre'],
    versions: ['1.21.6', '1.25.4'],
  },
  {
    name: 'sim-app',
    jobs: ['app', 'errand'],
    packages: ['app'],
    versions: ['0+dev.9', '0+dev.17'],
    dev: true,
  },
];

export const CLOUD_CONFIG_V1 = `azs:
- name: z1
  cloud_properties: {zone: z1}
- name: z2
  cloud_properties: {zone: z2}
- name: z3
  cloud_properties: {zone: z3}

vm_types:
- name: small
  cloud_properties: {cpu: 1, ram: 2048, ephemeral_disk: 10240}
- name: default
  cloud_properties: {cpu: 2, ram: 4096, ephemeral_disk: 20480}
- name: large
  cloud_properties: {cpu: 4, ram: 16384, ephemeral_disk: 51200}

disk_types:
- name: default
  disk_size: 10240
- name: large
  disk_size: 51200

networks:
- name: default
  type: manual
  subnets:
  - azs: [z1]
    range: 10.244.1.0/24
    gateway: 10.244.1.1
    reserved: [10.244.1.2-10.244.1.9]
  - azs: [z2]
    range: 10.244.2.0/24
    gateway: 10.244.2.1
    reserved: [10.244.2.2-10.244.2.9]
  - azs: [z3]
    range: 10.244.3.0/24
    gateway: 10.244.3.1
    reserved: [10.244.3.2-10.244.3.9]

compilation:
  workers: 4
  az: z1
  reuse_compilation_vms: true
  vm_type: default
  network: default
`;

/** The second cloud config adds a vm type; deployments last deployed before it read "outdated". */
export const CLOUD_CONFIG_V2 = CLOUD_CONFIG_V1.replace(
  '- name: large\n',
  '- name: medium\n  cloud_properties: {cpu: 2, ram: 8192, ephemeral_disk: 30720}\n- name: large\n',
);

export const RUNTIME_CONFIG_DNS = `releases:
- name: bosh-dns
  version: 1.38.2

addons:
- name: bosh-dns
  jobs:
  - name: bosh-dns
    release: bosh-dns
    properties:
      api:
        server: {tls: ((/dns_api_server_tls))}
  include:
    stemcell:
    - os: ubuntu-jammy
`;

/** Merged cloud properties of a vm type (what `format=full` reports as `cloud_properties`). */
export const VM_TYPE_PROPERTIES: Record<string, Record<string, number>> = {
  small: { cpu: 1, ram: 2048, ephemeral_disk: 10240 },
  default: { cpu: 2, ram: 4096, ephemeral_disk: 20480 },
  medium: { cpu: 2, ram: 8192, ephemeral_disk: 30720 },
  large: { cpu: 4, ram: 16384, ephemeral_disk: 51200 },
};

/** The default runtime config: tags for every deployment (what `bosh runtime-config` shows). */
export const RUNTIME_CONFIG_DEFAULT = `tags:
  owner: platform
  environment: simulated
`;

/** The CPI config: one warden CPI. */
export const CPI_CONFIG = `cpis:
- name: warden
  type: warden
  properties:
    warden:
      connect_address: 127.0.0.1:7777
      connect_network: tcp
`;

/** A cloud config owned by team alpha: only alpha's deployments (and director readers) see it. */
export const ALPHA_CLOUD_CONFIG = `vm_extensions:
- name: zookeeper-lb
  cloud_properties: {ports: [2181]}
`;

/** Whether a job of a release has a `bin/run` template (runs as an errand). */
export function runsAsErrand(release: string, job: string): boolean {
  return CATALOG_RELEASES.find((r) => r.name === release)?.errands?.includes(job) === true;
}

export interface ErrandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * What each errand job prints and exits with, by the instance it runs on. `smoke-tests` passes;
 * `status` reports every zookeeper node, and the one at index 2 is not serving.
 */
export function errandOutcome(job: string, group: string, index: number): ErrandOutcome {
  if (job === 'status') {
    if (index === 2) {
      return {
        exitCode: 1,
        stdout: `${group}/${index}: checking 127.0.0.1:2181\n`,
        stderr: `${group}/${index}: not serving requests: dial tcp 127.0.0.1:2181: connect: connection refused\n`,
      };
    }
    return {
      exitCode: 0,
      stdout: `${group}/${index}: checking 127.0.0.1:2181\n${group}/${index}: serving (mode: ${index === 0 ? 'leader' : 'follower'})\n`,
      stderr: '',
    };
  }
  return {
    exitCode: 0,
    stdout: `Running ${job} against ${group}/${index}\nwrite/read/delete a znode: ok\nleader election: ok\n3 checks passed\n`,
    stderr: '',
  };
}

/**
 * The Director's own certificates (`certificate_expiry.json.erb`), as days from the simulator's
 * start; null is a property that is not set (the file says "0", and the route skips it).
 */
export const DIRECTOR_CERTIFICATES: [path: string, days: number | null][] = [
  ['director.ssl.cert', 340],
  ['blobstore.tls.cert.ca', 1460],
  ['director.config_server.ca_cert', null],
  ['director.config_server.uaa.ca_cert', null],
  ['nats.tls.ca', 1460],
  ['nats.tls.client_ca.certificate', 1460],
  ['nats.tls.director.certificate', 21],
  ['director.db.tls.cert.ca', null],
  ['director.db.tls.cert.certificate', null],
];
