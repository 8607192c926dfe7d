import { describe, expect, it } from 'vitest';
import { eachManualSim, taskIdFrom } from './helpers.js';

const t = eachManualSim();

// biome-ignore lint/suspicious/noExplicitAny: NDJSON lines
function ndjson(text: string): any[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

async function fullResult(path: string, headers: Record<string, string> = {}) {
  const r = await t.get(path, 'admin', { headers });
  expect(r.status).toBe(302);
  const id = taskIdFrom(r);
  const end = await t.finish(id);
  return { id, end, lines: ndjson((await t.get(`/tasks/${id}/output?type=result`)).text) };
}

describe('vms and instances without format', () => {
  it('lists one element per VM with the Director keys', async () => {
    const vms = (await t.get('/deployments/cf/vms')).json();
    // Ten active VMs, and the inactive one a create-swap-delete of nats/1 left behind.
    expect(vms).toHaveLength(11);
    const nats1 = vms.filter((v: { job: string; index: number }) => v.job === 'nats' && v.index === 1);
    expect(nats1.map((v: { active: boolean }) => v.active)).toEqual([true, false]);
    expect(nats1[0].id).toBe(nats1[1].id);
    expect(nats1[0].cid).not.toBe(nats1[1].cid);
    expect((await t.get('/deployments/cf/instances')).json()).toHaveLength(10);
    expect(Object.keys(vms[0])).toEqual([
      'agent_id',
      'cid',
      'job',
      'index',
      'id',
      'az',
      'ips',
      'vm_created_at',
      'active',
      'permanent_nats_credentials',
    ]);
    expect(new Set(vms.map((v: { az: string }) => v.az))).toEqual(new Set(['z1', 'z2', 'z3']));
  });

  it('lists every instance, including errand instances without a VM', async () => {
    const instances = (await t.get('/deployments/zookeeper/instances')).json();
    expect(instances).toHaveLength(6);
    const errand = instances.find((i: { job: string }) => i.job === 'smoke-tests');
    expect(errand).toMatchObject({
      agent_id: null,
      cid: null,
      ips: [],
      vm_created_at: null,
      expects_vm: false,
    });
    expect((await t.get('/deployments/zookeeper/vms')).json()).toHaveLength(5);
  });
});

describe('format=full', () => {
  it('runs a hidden "retrieve vm-stats" task whose result is one JSON object per line', async () => {
    const { id, end, lines } = await fullResult('/deployments/cf/vms?format=full', {
      'x-bosh-context-id': 'ctx-vms',
    });
    expect(end).toMatchObject({
      state: 'done',
      description: 'retrieve vm-stats',
      result: '',
      deployment: 'cf',
    });
    // The context id is not stored on vms tasks.
    expect(end.context_id).toBe('');
    expect((await t.get('/tasks?limit=50')).json().map((x: { id: number }) => x.id)).not.toContain(id);
    // Every VM of the instances that have an active one, the inactive VM included.
    expect(lines).toHaveLength(11);
    expect(lines.filter((l) => l.active === false)).toHaveLength(1);
    const running = lines.find((l) => l.job_state === 'running');
    expect(typeof running.vitals.cpu.user).toBe('string');
    expect(typeof running.vitals.mem.kb).toBe('string');
    expect(running.vitals.load).toHaveLength(3);
    expect(typeof running.vitals.uptime.secs).toBe('number');
    expect(typeof running.processes[0].mem.kb).toBe('number');
    expect(typeof running.processes[0].cpu.total).toBe('number');
    expect(running.stemcell).toEqual({
      name: 'bosh-warden-boshlite-ubuntu-jammy-go_agent',
      version: '1.445',
      api_version: 3,
    });
  });

  it('reports the seeded unresponsive agent with null vitals and no processes', async () => {
    const { lines } = await fullResult('/deployments/cf/vms?format=full');
    const stuck = lines.filter((l) => l.job_state === 'unresponsive agent');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ job_name: 'diego-cell', index: 2, vitals: null, processes: [] });
    expect(stuck[0].vm_cid).toBeTruthy();
  });

  it('reports persistent disks and every instance for instances?format=full', async () => {
    const { lines } = await fullResult('/deployments/zookeeper/instances?format=full');
    expect(lines).toHaveLength(6);
    const errand = lines.find((l) => l.job_name === 'smoke-tests');
    expect(errand).toMatchObject({
      vm_cid: null,
      active: null,
      job_state: null,
      vitals: null,
      processes: [],
    });
    expect(errand.stemcell).toEqual({ name: null, version: null, api_version: null });
    const zk = lines.find((l) => l.job_name === 'zookeeper');
    expect(zk.disk_cids).toEqual([zk.disk_cid]);
    expect(typeof zk.vitals.disk.persistent.percent).toBe('string');
  });

  it('writes the lines in an order that does not follow the instance order', async () => {
    const { lines } = await fullResult('/deployments/cf/vms?format=full');
    const order = lines.map((l) => `${l.job_name}/${l.index}`);
    const listed = (await t.get('/deployments/cf/vms'))
      .json()
      .map((v: { job: string; index: number }) => `${v.job}/${v.index}`);
    expect(new Set(order)).toEqual(new Set(listed));
    expect(order).not.toEqual(listed);
  });

  it('marks the seeded ignored instance', async () => {
    const { lines } = await fullResult('/deployments/concourse/vms?format=full');
    expect(lines.filter((l) => l.ignore).map((l) => `${l.job_name}/${l.index}`)).toEqual(['worker/1']);
  });

  it('answers 404 70000 for an unknown deployment before starting any task', async () => {
    const before = t.sim.tasks.list().length;
    const r = await t.get('/deployments/ghost/vms?format=full');
    expect(r.status).toBe(404);
    expect(r.json().code).toBe(70000);
    expect(t.sim.tasks.list()).toHaveLength(before);
  });
});

describe('format=full after state changes', () => {
  it('shows a stopped instance with job_state stopped and stopped processes', async () => {
    const stop = await t.call('POST', '/deployments/cf/instance_groups/router/1/actions/stop?');
    await t.finish(taskIdFrom(stop));
    const { lines } = await fullResult('/deployments/cf/instances?format=full');
    const router = lines.find((l) => l.job_name === 'router' && l.index === 1);
    expect(router).toMatchObject({ state: 'stopped', job_state: 'stopped' });
    expect(router.processes.length).toBeGreaterThan(0);
    expect(router.processes.every((p: { state: string }) => p.state === 'stopped')).toBe(true);
  });

  it('reports an instance without a VM with null VM fields but its desired state, disks and flags', async () => {
    const { lines } = await fullResult('/deployments/zookeeper/instances?format=full');
    const errand = lines.find((l) => l.job_name === 'smoke-tests');
    expect(Object.keys(errand)).toEqual([
      'vm_cid',
      'active',
      'vm_created_at',
      'cloud_properties',
      'disk_cid',
      'disk_cids',
      'ips',
      'agent_id',
      'job_name',
      'index',
      'job_state',
      'state',
      'vm_type',
      'vitals',
      'processes',
      'az',
      'id',
      'bootstrap',
      'ignore',
      'stemcell',
    ]);
    expect(errand).toMatchObject({
      vm_cid: null,
      active: null,
      agent_id: null,
      job_state: null,
      vitals: null,
      ips: [],
      processes: [],
      state: 'started',
      vm_type: 'default',
      bootstrap: true,
      ignore: false,
      stemcell: { name: null, version: null, api_version: null },
    });
  });
});
