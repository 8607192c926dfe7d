/** Director answers shaped as real Directors send them (field sets and nulls included). */
import type { StubHandler } from '../helpers/stub-director.js';

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

/**
 * Output served as Rack serves it (`byte_ranges`): one range `bytes=N-` or `bytes=N-M` gets a 206
 * with `Content-Range: bytes N-E/total`, M clamped to the last byte; a start at or past the end a
 * 416 with `bytes *\/total`; no Range, a malformed one or an empty output the whole body with 200.
 * Each answer is logged in `served` (status and body bytes), so a test can count what came twice.
 */
export function rackOutput(
  content: () => Buffer | string,
  served: { status: number; bytes: number }[] = [],
): StubHandler {
  return (req, res) => {
    const body = Buffer.from(content());
    const match = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (!match || body.length === 0 || (match[2] !== '' && Number(match[2]) < Number(match[1]))) {
      served.push({ status: 200, bytes: body.length });
      res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
      res.end(body);
      return;
    }
    const start = Number(match[1]);
    if (start >= body.length) {
      served.push({ status: 416, bytes: 0 });
      res.writeHead(416, { 'content-range': `bytes */${body.length}` });
      res.end('Byte range unsatisfiable');
      return;
    }
    const end = match[2] === '' ? body.length - 1 : Math.min(Number(match[2]), body.length - 1);
    served.push({ status: 206, bytes: end - start + 1 });
    res.writeHead(206, {
      'content-type': 'text/html;charset=utf-8',
      'content-range': `bytes ${start}-${end}/${body.length}`,
    });
    res.end(body.subarray(start, end + 1));
  };
}
