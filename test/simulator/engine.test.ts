import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, demoManifest, eachManualSim, events, manualSim, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const yaml = { 'content-type': 'text/yaml' };
const FAILING = demoManifest((m) => `${m}    properties: {simulate_failure: true}\n`);
/** Eight instances one at a time: a deploy that outlasts the 10 s lock wait. */
const SLOW = demoManifest((m) =>
  m.replace('instances: 3', 'instances: 8').replace('max_in_flight: 2', 'max_in_flight: 1'),
);

async function deploy(manifest: string, user = 'admin'): Promise<number> {
  return taskIdFrom(await t.call('POST', '/deployments', user, { headers: yaml, body: manifest }));
}

describe('a successful deploy', () => {
  it('creates the deployment row at once, with a null manifest until the deploy succeeds', async () => {
    const id = await deploy(DEMO_MANIFEST);
    const row = (await t.get('/deployments')).json().find((d: { name: string }) => d.name === 'demo');
    expect(row).toMatchObject({ name: 'demo', teams: [], releases: [], stemcells: [] });
    expect((await t.get('/deployments/demo')).json()).toEqual({ manifest: null });
    await t.finish(id);
    expect((await t.get('/deployments/demo')).json()).toEqual({ manifest: DEMO_MANIFEST });
  });

  it('resolves latest versions and records releases, stemcells, VMs and addresses from the manifest', async () => {
    const id = await deploy(DEMO_MANIFEST);
    expect((await t.finish(id)).state).toBe('done');
    const row = (await t.get('/deployments')).json().find((d: { name: string }) => d.name === 'demo');
    // 0+dev.17 is newer than 0+dev.9, which a string sort would get wrong.
    expect(row.releases).toEqual([{ name: 'sim-app', version: '0+dev.17' }]);
    expect(row.stemcells).toEqual([{ name: 'bosh-warden-boshlite-ubuntu-jammy-go_agent', version: '1.445' }]);
    expect(row.cloud_config).toBe('latest');
    const vms = (await t.get('/deployments/demo/vms')).json();
    expect(vms.map((v: { az: string }) => v.az)).toEqual(['z1', 'z2', 'z1']);
    for (const vm of vms) {
      expect(vm.cid).toMatch(/^[0-9a-f-]{36}$/);
      expect(vm.agent_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(vm.ips[0]).toMatch(vm.az === 'z1' ? /^10\.244\.1\./ : /^10\.244\.2\./);
      expect(vm.vm_created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(new Set(vms.flatMap((v: { ips: string[] }) => v.ips)).size).toBe(3);
    const stemcells = (await t.get('/stemcells')).json();
    expect(stemcells.find((s: { version: string }) => s.version === '1.445').deployments).toContainEqual({
      name: 'demo',
    });
  });

  it('writes the stages of a deploy with canaries, instance tags and in-progress statuses', async () => {
    const id = await deploy(DEMO_MANIFEST);
    await t.finish(id);
    const records = events(t.sim, id);
    const stages = [...new Set(records.map((r) => r.stage).filter(Boolean))];
    expect(stages).toEqual([
      'Preparing deployment',
      'Preparing package compilation',
      'Compiling packages',
      'Creating missing vms',
      'Updating instance',
    ]);
    const updates = records.filter((r) => r.stage === 'Updating instance');
    expect(updates.every((r) => r.tags[0] === 'web' && r.total === 3)).toBe(true);
    const started = updates.filter((r) => r.state === 'started');
    expect(started[0].task).toMatch(/^web\/[0-9a-f-]{36} \(0\) \(canary\)$/);
    expect(started.slice(1).every((r) => !r.task.endsWith('(canary)'))).toBe(true);
    expect(started.map((r) => r.index)).toEqual([1, 2, 3]);
    const statuses = updates.filter((r) => r.state === 'in_progress').map((r) => r.data.status);
    expect(statuses).toContain('installing packages');
    expect(statuses).toContain('starting jobs');
    for (const r of records) {
      expect(Number.isInteger(r.time)).toBe(true);
      expect(Math.abs(r.time - t.clock.now() / 1000)).toBeLessThan(3600);
    }
  });

  it('updates only changed instances on a redeploy, and none when the manifest is unchanged', async () => {
    await t.finish(await deploy(DEMO_MANIFEST));
    const same = await deploy(DEMO_MANIFEST);
    await t.finish(same);
    expect(events(t.sim, same).some((r) => r.stage === 'Updating instance')).toBe(false);
    const changed = await deploy(demoManifest((m) => m.replace('vm_type: small', 'vm_type: default')));
    await t.finish(changed);
    const started = events(t.sim, changed).filter(
      (r) => r.stage === 'Updating instance' && r.state === 'started',
    );
    expect(started).toHaveLength(3);
    expect(events(t.sim, changed).filter((r) => r.data?.status === 'executing drain')).toHaveLength(3);
  });

  it('deletes instances that a smaller manifest no longer has', async () => {
    await t.finish(await deploy(DEMO_MANIFEST));
    const id = await deploy(demoManifest((m) => m.replace('instances: 3', 'instances: 1')));
    await t.finish(id);
    expect(
      events(t.sim, id).filter((r) => r.stage === 'Deleting unneeded instances' && r.state === 'finished'),
    ).toHaveLength(2);
    expect((await t.get('/deployments/demo/vms')).json()).toHaveLength(1);
  });

  it('changes nothing on a dry run, whose description says so', async () => {
    const r = await t.call('POST', '/deployments?dry_run=true', 'admin', {
      headers: yaml,
      body: DEMO_MANIFEST,
    });
    const id = taskIdFrom(r);
    expect(t.sim.tasks.get(id)?.description).toBe('create deployment (dry run)');
    expect((await t.finish(id)).state).toBe('done');
    expect(t.sim.deployments.manifest('demo')).toBeNull();
    expect(events(t.sim, id).map((x) => x.stage)).toEqual(['Preparing deployment', 'Preparing deployment']);
  });
});

describe('ignored instances', () => {
  it('leaves an ignored instance alone and warns about it', async () => {
    const manifest = t.sim.deployments.manifest('concourse')!;
    const id = await deploy(manifest.replace('instances: 2', 'instances: 3'));
    await t.finish(id);
    const records = events(t.sim, id);
    expect(records.filter((r) => r.type === 'warning').map((r) => r.message)).toEqual([
      'You have ignored instances. They will not be changed.',
    ]);
    const started = records.filter((r) => r.stage === 'Updating instance' && r.state === 'started');
    expect(started.map((r) => r.task.replace(/\/[0-9a-f-]{36}/, ''))).toEqual(['worker (2) (canary)']);
  });

  it('shows the seeded warning in the history of the zookeeper scale-up', () => {
    const scale = t.sim.tasks
      .list()
      .filter((x) => x.deployment === 'zookeeper' && x.state === 'done')
      .at(-1)!;
    expect(events(t.sim, scale.id).some((r) => r.type === 'warning')).toBe(true);
  });
});

describe('a failing deploy', () => {
  it('fails the first canary with a failed stage record, error 400007 and state error', async () => {
    const id = await deploy(FAILING);
    const end = await t.finish(id);
    expect(end.state).toBe('error');
    const records = events(t.sim, id);
    const failed = records.find((r) => r.state === 'failed');
    expect(failed.stage).toBe('Updating instance');
    expect(failed.task).toMatch(/\(0\) \(canary\)$/);
    expect(failed.data.error).toMatch(/^'web\/[0-9a-f-]{36} \(0\)' is not running after update/);
    const error = records.at(-1);
    expect(error.error.code).toBe(400007);
    expect(end.result).toBe(error.error.message.slice(0, end.result!.length));
  });

  it('leaves a first deployment that failed with a null manifest and no releases', async () => {
    await t.finish(await deploy(FAILING));
    expect((await t.get('/deployments/demo')).json()).toEqual({ manifest: null });
    const row = (await t.get('/deployments')).json().find((d: { name: string }) => d.name === 'demo');
    expect(row).toMatchObject({ releases: [], stemcells: [], cloud_config: 'none' });
    expect((await t.get('/deployments/demo/vms')).json()).toEqual([]);
  });

  it('fails inside the task, not the request, on an unknown release', async () => {
    const r = await t.call('POST', '/deployments', 'admin', {
      headers: yaml,
      body: demoManifest((m) =>
        m.replace('- name: sim-app\n  version: latest', '- name: nope\n  version: latest'),
      ),
    });
    expect(r.status).toBe(302);
    const end = await t.finish(taskIdFrom(r));
    expect(end.state).toBe('error');
    expect(events(t.sim, end.id).at(-1).error).toEqual({
      code: 30005,
      message: "Release 'nope' doesn't exist",
    });
  });
});

describe('the deployment lock', () => {
  it('fails a second deploy of a busy deployment after the lock wait with code 100', async () => {
    const first = await deploy(SLOW);
    await t.clock.advance(1_000);
    // Queued at 1 s, picked up at 1.5 s, so it gives up waiting at 11.5 s.
    const second = await deploy(SLOW);
    await t.clock.advance(1_000);
    const locks = (await t.get('/locks')).json();
    expect(locks).toEqual([
      {
        type: 'deployment',
        resource: ['demo'],
        timeout: expect.stringMatching(/^\d+\.\d{6}$/),
        task_id: String(first),
      },
    ]);
    expect((await t.get('/deployments')).json().find((d: { name: string }) => d.name === 'demo').locked).toBe(
      true,
    );
    await t.clock.advance(9_000);
    expect(t.sim.tasks.get(second)?.state).toBe('processing');
    await t.clock.advance(1_000);
    const end = t.sim.tasks.get(second)!;
    expect(end.state).toBe('error');
    const error = events(t.sim, second).at(-1).error;
    expect(error.code).toBe(100);
    expect(error.message).toMatch(
      new RegExp(
        `^Failed to acquire lock for lock:deployment:demo uid: [0-9a-f-]{36}\\. Locking task id is ${first}, description: 'create deployment'$`,
      ),
    );
    expect(end.result).toMatch(/^Failed to acquire lock for lock:deployment:demo .*\.\.\.$/);
    expect((await t.finish(first)).state).toBe('done');
    expect((await t.get('/locks')).json()).toEqual([]);
  });

  it('lets a deploy that waits get the lock if it is released within the wait', async () => {
    const t2 = await manualSim({ lockWaitMs: 600_000 });
    try {
      const first = t2.sim.tasks.startDeploy(DEMO_MANIFEST);
      const second = t2.sim.tasks.startDeploy(DEMO_MANIFEST);
      expect((await t2.finish(first)).state).toBe('done');
      expect((await t2.finish(second)).state).toBe('done');
    } finally {
      await t2.sim.stop();
    }
  });
});

describe('deleting a deployment', () => {
  it('runs "delete deployment <name>" and removes the row, its VMs and its lock', async () => {
    const r = await t.call('DELETE', '/deployments/redis', 'admin', {
      headers: { 'x-bosh-context-id': 'del-1' },
    });
    expect(r.status).toBe(302);
    const id = taskIdFrom(r);
    expect(t.sim.tasks.get(id)).toMatchObject({
      description: 'delete deployment redis',
      deployment: 'redis',
      context_id: 'del-1',
    });
    const end = await t.finish(id);
    expect(end).toMatchObject({ state: 'done', result: '/deployments/redis' });
    const stages = [...new Set(events(t.sim, id).map((x) => x.stage))];
    expect(stages).toEqual(['Deleting instances', 'Removing deployment artifacts', 'Deleting properties']);
    expect((await t.get('/deployments/redis')).status).toBe(404);
    expect(t.sim.deployments.names()).not.toContain('redis');
  });

  it('answers 404 70000 for a deployment that does not exist', async () => {
    const r = await t.call('DELETE', '/deployments/ghost');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ code: 70000, description: "Deployment 'ghost' doesn't exist" });
  });
});
