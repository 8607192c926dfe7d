/**
 * VMs, instances and their details: the Director's `format=full` NDJSON (vitals as strings) as
 * typed numbers, compared line by line with the result output the simulated Director wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { directorGet } from './support.js';

interface FullLine {
  vm_cid: string | null;
  id: string;
  job_name: string;
  index: number;
  job_state: string | null;
  state: string;
  vm_type: string | null;
  bootstrap: boolean;
  ignore: boolean;
  disk_cids: string[];
  cloud_properties: unknown;
  vitals: null | {
    cpu: { sys: string; user: string; wait: string };
    mem: { kb: string; percent: string };
    swap: { kb: string; percent: string };
    load: string[];
    uptime: { secs: number };
    disk: Record<string, { percent: string; inode_percent: string }>;
  };
  processes: {
    name: string;
    state: string;
    uptime?: { secs: number };
    mem?: { kb: number; percent: number };
  }[];
  stemcell?: { name: string | null; version: string | null; api_version: number | null };
}

const DETAILS = `
  jobState state vmType bootstrap ignore diskCids cloudProperties
  stemcell { name version apiVersion }
  vitals {
    cpu { sys user wait } mem { kb percent } swap { kb percent } load uptimeSeconds
    disks { name percent inodePercent }
  }
  processes { name state uptimeSeconds memKb memPercent cpuTotal }
`;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

/** The result output of the newest `retrieve vm-stats` task: what the Director answered. */
function lastVmStats(): FullLine[] {
  const task = gw.sim.tasks
    .list()
    .filter((t) => t.description === 'retrieve vm-stats')
    .at(-1);
  if (!task) throw new Error('no vm-stats task ran');
  return gw.sim.tasks
    .resultOutput(task.id)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as FullLine);
}

describe('VM details of cf', () => {
  // biome-ignore lint/suspicious/noExplicitAny: reply data
  let vms: any[];
  let lines: FullLine[];
  let errors: unknown;
  beforeAll(async () => {
    const reply = await gw.graphql(
      `{ deployment(name: "cf") { vms { cid job index instanceId createdAt details { ${DETAILS} } } } }`,
    );
    errors = reply.errors;
    vms = reply.data.deployment.vms;
    lines = lastVmStats();
  });

  it('answer without errors, one details object per VM', () => {
    expect(errors).toBeUndefined();
    expect(vms.length).toBe(lines.length);
  });

  it('give vitals as numbers parsed from the strings the Director sent', () => {
    const responsive = lines.filter((l) => l.vitals !== null);
    expect(responsive.length).toBeGreaterThan(0);
    for (const line of responsive) {
      const vm = vms.find((v) => v.cid === line.vm_cid);
      const v = line.vitals!;
      expect(vm.details.vitals).toEqual({
        cpu: { sys: Number(v.cpu.sys), user: Number(v.cpu.user), wait: Number(v.cpu.wait) },
        mem: { kb: Number(v.mem.kb), percent: Number(v.mem.percent) },
        swap: { kb: Number(v.swap.kb), percent: Number(v.swap.percent) },
        load: v.load.map(Number),
        uptimeSeconds: v.uptime.secs,
        disks: Object.entries(v.disk).map(([name, d]) => ({
          name,
          percent: Number(d.percent),
          inodePercent: Number(d.inode_percent),
        })),
      });
      expect(vm.details.vitals.load).toHaveLength(3);
      for (const load of vm.details.vitals.load) expect(typeof load).toBe('number');
      expect(typeof vm.details.vitals.mem.kb).toBe('number');
    }
  });

  it('give every VM the line of its own cid, with state, type, disks, processes and stemcell', () => {
    for (const line of lines) {
      const vm = vms.find((v) => v.cid === line.vm_cid);
      expect(vm, `a VM for ${line.vm_cid}`).toBeDefined();
      expect(vm.job).toBe(line.job_name);
      expect(vm.index).toBe(line.index);
      expect(vm.instanceId).toBe(line.id);
      expect(vm.details).toMatchObject({
        jobState: line.job_state,
        state: line.state,
        vmType: line.vm_type,
        bootstrap: line.bootstrap,
        ignore: line.ignore,
        diskCids: line.disk_cids,
        cloudProperties: line.cloud_properties,
      });
      expect(vm.details.stemcell).toEqual({
        name: line.stemcell?.name ?? null,
        version: line.stemcell?.version ?? null,
        apiVersion: line.stemcell?.api_version ?? null,
      });
      expect(vm.details.processes.map((p: { name: string; memKb: number }) => [p.name, p.memKb])).toEqual(
        line.processes.map((p) => [p.name, p.mem?.kb ?? null]),
      );
    }
  });

  it('give the unresponsive agent null vitals and its job state, without an error', () => {
    const unresponsive = lines.filter((l) => l.vitals === null);
    expect(unresponsive).toHaveLength(1);
    const vm = vms.find((v) => v.cid === unresponsive[0]!.vm_cid);
    expect(vm.job).toBe('diego-cell');
    expect(vm.details.jobState).toBe('unresponsive agent');
    expect(vm.details.vitals).toBeNull();
    expect(vm.details.processes).toEqual([]);
    expect(errors).toBeUndefined();
  });

  it('give creation times as ISO-8601 in UTC', async () => {
    const wire = (await directorGet(gw, '/deployments/cf/vms', 'admin')) as {
      cid: string;
      vm_created_at: string;
    }[];
    for (const vm of vms) {
      expect(vm.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
      const sent = wire.find((w) => w.cid === vm.cid)!.vm_created_at;
      expect(Date.parse(vm.createdAt)).toBe(Date.parse(sent));
    }
  });
});

describe('VMs', () => {
  it('name the deployment they belong to', async () => {
    const reply = await gw.graphql('{ deployment(name: "redis") { vms { deployment { name teams } } } }');
    expect(reply.errors).toBeUndefined();
    const owners = reply.data.deployment.vms.map((vm: { deployment: unknown }) => vm.deployment);
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners) expect(owner).toEqual({ name: 'redis', teams: ['beta'] });
  });

  it('list as many VMs as the Director does, with the same cids', async () => {
    const wire = (await directorGet(gw, '/deployments/concourse/vms', 'admin')) as { cid: string }[];
    const reply = await gw.graphql('{ deployment(name: "concourse") { vms { cid } } }');
    expect(reply.data.deployment.vms.map((v: { cid: string }) => v.cid).sort()).toEqual(
      wire.map((w) => w.cid).sort(),
    );
  });
});

describe('instances', () => {
  it('include instances without a VM, and details from one instances?format=full task', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(
      '{ deployment(name: "zookeeper") { instances { id job cid expectsVm details { jobState } } } }',
    );
    expect(reply.errors).toBeUndefined();
    const instances = reply.data.deployment.instances;
    const errand = instances.find((i: { job: string }) => i.job === 'smoke-tests');
    expect(errand).toMatchObject({ cid: null, expectsVm: false, details: { jobState: null } });
    const withVm = instances.filter((i: { cid: string | null }) => i.cid !== null);
    expect(withVm.length).toBeGreaterThan(1);
    for (const i of withVm) expect(i.details.jobState).toBe('running');
    expect(gw.sim.requests.count({ path: '/deployments/zookeeper/instances', query: 'format=full' })).toBe(1);
  });
});
