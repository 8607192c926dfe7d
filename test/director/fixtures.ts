/** Director answers shaped as real Directors send them (field sets and nulls included). */

export const INFO_BASIC = {
  name: 'bosh-lite',
  uuid: '6f4c6a3e-0000-4000-8000-000000000001',
  version: '282.1.2 (00000000)',
  user: null,
  cpi: 'warden_cpi',
  stemcell_os: 'ubuntu-jammy',
  stemcell_version: '1.500',
  user_authentication: { type: 'basic', options: {} },
  features: {
    local_dns: { status: true, extras: { domain_name: 'bosh' } },
    snapshots: { status: false },
    config_server: { status: false, extras: { urls: [] } },
  },
};

export function infoUaa(uaaUrl: string): typeof INFO_BASIC {
  return {
    ...INFO_BASIC,
    user_authentication: { type: 'uaa', options: { url: uaaUrl, urls: [uaaUrl] } } as never,
  };
}

export const STEMCELLS = [
  {
    name: 'bosh-warden-boshlite-ubuntu-jammy-go_agent',
    operating_system: 'ubuntu-jammy',
    version: '1.500',
    cid: 'stemcell-cid-1',
    cpi: '',
    deployments: [{ name: 'cf' }],
    api_version: 3,
    id: 1,
  },
];

export const RELEASES = [
  {
    name: 'zookeeper',
    release_versions: [
      {
        version: '0+dev.17',
        commit_hash: 'e5416248',
        uncommitted_changes: true,
        currently_deployed: true,
        job_names: ['zookeeper', 'smoke-tests'],
      },
    ],
  },
];

export const DEPLOYMENTS = [
  {
    name: 'cf',
    teams: [],
    cloud_config: 'latest',
    stemcells: [{ name: 'bosh-warden-boshlite-ubuntu-jammy-go_agent', version: '1.500' }],
    releases: [{ name: 'zookeeper', version: '0+dev.17' }],
    locked: false,
  },
];

export const VMS = [
  {
    agent_id: 'agent-1',
    cid: 'vm-cid-1',
    job: 'zookeeper',
    index: 0,
    id: 'b6e0f1a2-0000-4000-8000-000000000001',
    az: 'z1',
    ips: ['10.244.0.2'],
    vm_created_at: '2023-01-11T14:11:02Z',
    active: true,
    permanent_nats_credentials: false,
  },
];

export const INSTANCES = [
  { ...VMS[0], active: undefined, permanent_nats_credentials: undefined, expects_vm: true },
  {
    agent_id: null,
    cid: null,
    job: 'smoke-tests',
    index: 0,
    id: 'c7f1a2b3-0000-4000-8000-000000000002',
    az: 'z1',
    ips: [],
    vm_created_at: null,
    expects_vm: false,
  },
];

export const LOCKS = [{ type: 'deployment', resource: ['cf'], timeout: '1700000000.123456', task_id: '42' }];

export function vmFull(index: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vm_cid: `vm-cid-${index}`,
    active: true,
    vm_created_at: '2023-01-11T14:11:02Z',
    cloud_properties: {},
    disk_cid: null,
    disk_cids: [],
    ips: [`10.244.0.${index + 2}`],
    agent_id: `agent-${index}`,
    job_name: 'zookeeper',
    index,
    job_state: 'running',
    state: 'started',
    vm_type: 'default',
    vitals: null,
    processes: [],
    az: 'z1',
    id: `id-${index}`,
    bootstrap: index === 0,
    ignore: false,
    stemcell: { name: 'bosh-warden-boshlite-ubuntu-jammy-go_agent', version: '1.500', api_version: 3 },
    ...extra,
  };
}
