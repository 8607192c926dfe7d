import { describe, expect, it } from 'vitest';
import { eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const action = (path: string, user = 'admin', headers: Record<string, string> = {}) =>
  t.call('POST', path, user, { headers });

async function vmOf(group: string, index: number) {
  const list = (await t.get('/deployments/cf/instances')).json();
  return list.find((i: { job: string; index: number }) => i.job === group && i.index === index);
}

describe('POST .../instance_groups/{ig}/{id}/actions/{action}', () => {
  it('stops one instance in an update_instance task whose result names it', async () => {
    const r = await action('/deployments/cf/instance_groups/router/1/actions/stop?', 'admin', {
      'x-bosh-context-id': 'c1',
    });
    const id = taskIdFrom(r);
    const task = await t.finish(id);
    const router = await vmOf('router', 1);
    expect(task).toMatchObject({
      state: 'done',
      description: 'stop instance',
      context_id: 'c1',
      result: `router/${router.id}`,
    });
    const stages = [...new Set(events(t.sim, id).map((e) => `${e.stage}|${e.task}`))];
    expect(stages).toEqual([`Updating instance router/${router.id} (1)|Stopping instance`]);
    expect(events(t.sim, id)[0]).toMatchObject({ tags: [], total: null });
    expect((await t.get('/deployments/cf/jobs/router/1')).json().state).toBe('stopped');
  });

  it('deletes the VM on a hard stop and creates a new one on start', async () => {
    const before = await vmOf('router', 0);
    await t.finish(
      taskIdFrom(await action('/deployments/cf/instance_groups/router/0/actions/stop?hard=true')),
    );
    expect((await vmOf('router', 0)).cid).toBeNull();
    const id = taskIdFrom(await action(`/deployments/cf/instance_groups/router/${before.id}/actions/start?`));
    await t.finish(id);
    const tasks = events(t.sim, id)
      .filter((e) => e.state === 'started')
      .map((e) => e.task);
    expect(tasks).toEqual(['Creating VM', 'Starting instance']);
    expect((await vmOf('router', 0)).cid).not.toBe(before.cid);
  });

  it('recreates under a recreate parent event with stop and start child events', async () => {
    const id = taskIdFrom(await action('/deployments/cf/instance_groups/nats/0/actions/recreate?'));
    await t.finish(id);
    const tasks = events(t.sim, id)
      .filter((e) => e.state === 'started')
      .map((e) => e.task);
    expect(tasks).toEqual(['Stopping instance', 'Deleting VM', 'Creating VM', 'Starting instance']);
    const audit = (await t.get(`/events?task=${id}&object_type=instance`)).json();
    expect(audit.map((e: { action: string }) => e.action).reverse()).toEqual([
      'recreate',
      'stop',
      'stop',
      'start',
      'start',
      'recreate',
    ]);
  });

  it('fails inside the task for an errand instance (90000) and an ignored one (190020)', async () => {
    const errand = taskIdFrom(
      await action('/deployments/zookeeper/instance_groups/smoke-tests/0/actions/start?'),
    );
    await t.finish(errand);
    expect(events(t.sim, errand).at(-1).error).toEqual({
      code: 90000,
      message: 'Isolated start can not be run on instances of type errand. Try the bosh run-errand command.',
    });
    const ignored = taskIdFrom(await action('/deployments/concourse/instance_groups/worker/1/actions/stop?'));
    const end = await t.finish(ignored);
    expect(end.state).toBe('error');
    expect(events(t.sim, ignored).at(-1).error.code).toBe(190020);
    expect(end.result).toMatch(
      /^You are trying to change the state of the ignored instance 'worker\/[0-9a-f-]+'\.This/,
    );
  });

  it('checks the instance segment before anything else', async () => {
    expect((await action('/deployments/cf/instance_groups/router/x/actions/stop')).json().code).toBe(70002);
    expect((await action('/deployments/cf/instance_groups/router/5/actions/stop')).json().code).toBe(70001);
  });
});

describe('PUT .../instance_groups/{ig}/{id}/ignore', () => {
  it('answers 200 with an empty body, and ignored instances show it and are refused actions', async () => {
    const json = { 'content-type': 'application/json' };
    const r = await t.call('PUT', '/deployments/cf/instance_groups/router/0/ignore', 'admin', {
      headers: json,
      body: '{"ignore":true}',
    });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    const full = taskIdFrom(await t.get('/deployments/cf/instances?format=full'));
    await t.finish(full);
    const line = t.sim.tasks
      .resultOutput(full)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.job_name === 'router' && l.index === 0);
    expect(line.ignore).toBe(true);
    expect(
      (
        await t.call('PUT', '/deployments/cf/instance_groups/router/9/ignore', 'admin', {
          headers: json,
          body: '{"ignore":true}',
        })
      ).json().code,
    ).toBe(70001);
    expect(
      (await t.call('PUT', '/deployments/cf/instance_groups/router/0/ignore', 'admin', { body: '{}' }))
        .status,
    ).toBe(404);
  });
});
