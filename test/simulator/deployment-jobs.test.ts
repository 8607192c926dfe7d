import { describe, expect, it } from 'vitest';
import { eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const yaml = { 'content-type': 'text/yaml' };
const put = (path: string, body = '', user = 'admin', headers: Record<string, string> = yaml) =>
  t.call('PUT', path, user, { headers, body });

async function instance(d: string, group: string, index: number) {
  const list = (await t.get(`/deployments/${d}/instances`)).json();
  return list.find((i: { job: string; index: number }) => i.job === group && i.index === index);
}

describe('PUT /deployments/{d}/jobs/...', () => {
  it('stops a group as a deploy task with only that group’s instances updated, and persists the state', async () => {
    const r = await put('/deployments/cf/jobs/router?state=stopped', '', 'admin', {
      ...yaml,
      'x-bosh-context-id': 'ctx-stop',
    });
    const id = taskIdFrom(r);
    const task = await t.finish(id);
    expect(task).toMatchObject({ state: 'done', description: 'create deployment', context_id: 'ctx-stop' });
    const updated = events(t.sim, id).filter((e) => e.stage === 'Updating instance' && e.state === 'started');
    expect(updated.map((e) => e.tags[0])).toEqual(['router', 'router']);
    const statuses = events(t.sim, id)
      .filter((e) => e.state === 'in_progress')
      .map((e) => e.data.status);
    expect(statuses).toContain('stopping jobs');
    expect(statuses).not.toContain('starting jobs');
    expect((await t.get('/deployments/cf/jobs/router/0')).json().state).toBe('stopped');
    // A later converging change leaves the stopped group stopped.
    await t.finish(taskIdFrom(await put('/deployments/cf/jobs/nats?state=restart')));
    expect((await t.get('/deployments/cf/jobs/router/1')).json().state).toBe('stopped');
  });

  it('detaches an instance with a hard stop, removing its VM, and starts it on a new one', async () => {
    const before = await instance('cf', 'router', 0);
    await t.finish(taskIdFrom(await put('/deployments/cf/jobs/router/0?state=detached')));
    const detached = await instance('cf', 'router', 0);
    expect(detached.cid).toBeNull();
    expect((await t.get('/deployments/cf/jobs/router/0')).json().state).toBe('detached');
    await t.finish(taskIdFrom(await put(`/deployments/cf/jobs/router/${before.id}?state=started`)));
    const after = await instance('cf', 'router', 0);
    expect(after.cid).not.toBeNull();
    expect(after.cid).not.toBe(before.cid);
  });

  it('recreates VMs with new cids and creation times', async () => {
    const before = await instance('redis', 'redis', 1);
    await t.clock.advance(60_000);
    await t.finish(taskIdFrom(await put('/deployments/redis/jobs/*?state=recreate')));
    const after = await instance('redis', 'redis', 1);
    expect(after.cid).not.toBe(before.cid);
    expect(Date.parse(after.vm_created_at)).toBeGreaterThan(Date.parse(before.vm_created_at));
  });

  it('accepts any state over HTTP but fails the task with 140008 or 140007', async () => {
    const group = await t.finish(taskIdFrom(await put('/deployments/cf/jobs/router?state=running')));
    expect(group.state).toBe('error');
    expect(group.result).toBe(
      "Invalid state 'running' for 'router', valid states are: started, stopped, detached, recreate, restart",
    );
    const one = taskIdFrom(await put('/deployments/cf/jobs/router/1?state=bogus'));
    await t.finish(one);
    expect(events(t.sim, one).at(-1).error.code).toBe(140007);
  });

  it('checks the instance segment (70002, 70001), recreate_vms_created_before (40005) and an empty body', async () => {
    expect((await put('/deployments/cf/jobs/router/snoopy?state=stopped')).json()).toEqual({
      code: 70002,
      description: "Invalid instance index or id 'snoopy'",
    });
    expect((await put('/deployments/cf/jobs/router/7?state=stopped')).json()).toEqual({
      code: 70001,
      description: "'cf/router/7' doesn't exist",
    });
    const before = await put(
      '/deployments/cf/jobs/router?state=restart&recreate_vms_created_before=2026-01-01T00:00:00Z',
    );
    expect(before.json()).toEqual({
      code: 40005,
      description: 'Must pass state=recreate when specifying recreate_vms_created_before',
    });
    expect((await put('/deployments/cf/jobs/router')).json()).toEqual({
      code: 440001,
      description: 'Manifest should not be empty',
    });
    expect(
      (
        await put('/deployments/cf/jobs/router?state=stopped', '', 'admin', {
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(404);
    expect((await put('/deployments/zookeeper/jobs/zookeeper?state=stopped', '', 'beta-admin')).status).toBe(
      401,
    );
  });

  it('logs the ignored-instances warning and leaves an ignored instance alone', async () => {
    const id = taskIdFrom(await put('/deployments/concourse/jobs/worker?state=stopped'));
    await t.finish(id);
    expect(
      events(t.sim, id).some((e) => e.message === 'You have ignored instances. They will not be changed.'),
    ).toBe(true);
    expect((await t.get('/deployments/concourse/jobs/worker/1')).json().state).toBe('started');
    expect((await t.get('/deployments/concourse/jobs/worker/0')).json().state).toBe('stopped');
  });
});

describe('GET /deployments/{d}/jobs/{ig}/{id}', () => {
  it('answers the instance record by index or uuid, 404 70001 otherwise', async () => {
    const zk = (await t.get('/deployments/zookeeper/jobs/zookeeper/0')).json();
    expect(Object.keys(zk)).toEqual(['deployment', 'job', 'index', 'id', 'state', 'disks']);
    expect(zk.disks).toHaveLength(1);
    expect((await t.get(`/deployments/zookeeper/jobs/zookeeper/${zk.id}`)).json()).toEqual(zk);
    expect((await t.get('/deployments/zookeeper/jobs/zookeeper/9')).json().code).toBe(70001);
    expect((await t.get('/deployments/zookeeper/jobs/zookeeper/0', 'alpha-reader')).status).toBe(401);
  });
});
