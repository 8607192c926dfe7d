import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const yaml = { 'content-type': 'text/yaml' };

function taskOf(deployment: string): number {
  return t.sim.tasks.list().find((x) => x.deployment === deployment && x.description === 'create deployment')!
    .id;
}

describe('a team admin', () => {
  it('sees only the deployments of its team', async () => {
    const list = (await t.get('/deployments', 'alpha-admin')).json();
    expect(list.map((d: { name: string }) => d.name)).toEqual(['zookeeper']);
    expect((await t.get('/deployments', 'beta-admin')).json().map((d: { name: string }) => d.name)).toEqual([
      'redis',
    ]);
  });

  it('sees only its team tasks, including those of a deployment deleted since', async () => {
    const tasks = (await t.get('/tasks', 'alpha-admin')).json();
    expect(tasks.length).toBeGreaterThan(0);
    expect(new Set(tasks.map((x: { deployment: string }) => x.deployment))).toEqual(
      new Set(['zookeeper', 'nginx-test']),
    );
    const all = (await t.get('/tasks', 'admin')).json();
    expect(all.length).toBeGreaterThan(tasks.length);
  });

  it('gets 401 600000 for another team’s task, its output and deployment reads', async () => {
    const cfTask = taskOf('cf');
    const task = await t.get(`/tasks/${cfTask}`, 'alpha-admin');
    expect(task.status).toBe(401);
    expect(task.json().code).toBe(600000);
    expect(task.json().description).toMatch(
      /^One of the following scopes is required to access this task: bosh\.admin, /,
    );
    expect((await t.get(`/tasks/${cfTask}/output?type=event`, 'alpha-admin')).status).toBe(401);
    for (const path of ['/deployments/cf', '/deployments/cf/vms', '/deployments/redis/instances']) {
      const r = await t.get(path, 'alpha-admin');
      expect(r.status, path).toBe(401);
      expect(r.json().code, path).toBe(600000);
    }
    const del = await t.call('DELETE', '/deployments/cf', 'alpha-admin');
    expect(del.json().code).toBe(600000);
  });

  it('reads its own team’s task, outputs (debug included) and deployment', async () => {
    const zk = taskOf('zookeeper');
    expect((await t.get(`/tasks/${zk}`, 'alpha-admin')).status).toBe(200);
    expect((await t.get(`/tasks/${zk}/output?type=debug`, 'alpha-admin')).status).toBe(200);
    expect((await t.get('/deployments/zookeeper', 'alpha-admin')).json().manifest).toContain(
      'name: zookeeper',
    );
  });

  it('sees every release and stemcell', async () => {
    expect((await t.get('/releases', 'alpha-admin')).json()).toEqual((await t.get('/releases')).json());
    expect((await t.get('/stemcells', 'alpha-admin')).json()).toEqual((await t.get('/stemcells')).json());
  });

  it('creates new deployments owned by its team, whose tasks keep that team', async () => {
    const r = await t.call('POST', '/deployments', 'alpha-admin', { headers: yaml, body: DEMO_MANIFEST });
    const id = taskIdFrom(r);
    expect(
      (await t.get('/deployments', 'alpha-admin')).json().find((d: { name: string }) => d.name === 'demo')
        .teams,
    ).toEqual(['alpha']);
    expect((await t.get(`/tasks/${id}`, 'alpha-admin')).status).toBe(200);
    expect((await t.get(`/tasks/${id}`, 'beta-admin')).status).toBe(401);
    expect(
      (await t.get('/deployments', 'beta-admin')).json().map((d: { name: string }) => d.name),
    ).not.toContain('demo');
  });

  it('cannot deploy over another team’s deployment, cancel tasks, or read locks', async () => {
    const redis = t.sim.deployments.manifest('redis')!;
    const r = await t.call('POST', '/deployments', 'alpha-admin', { headers: yaml, body: redis });
    expect(r.status).toBe(401);
    expect(r.json().code).toBe(600000);
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST, 'alpha-admin');
    expect((await t.call('DELETE', `/task/${id}`, 'alpha-admin')).status).toBe(401);
    expect((await t.get('/locks', 'alpha-admin')).status).toBe(401);
  });
});

describe('a read-only user', () => {
  it('reads everything but cannot deploy, delete or read debug logs', async () => {
    expect((await t.get('/deployments', 'reader')).json()).toHaveLength(4);
    expect((await t.get('/locks', 'reader')).status).toBe(200);
    const deploy = await t.call('POST', '/deployments', 'reader', { headers: yaml, body: DEMO_MANIFEST });
    expect(deploy.status).toBe(401);
    expect(deploy.json().code).toBe(600000);
    expect(t.sim.deployments.names()).not.toContain('demo');
    expect((await t.call('DELETE', '/deployments/cf', 'reader')).status).toBe(401);
    expect((await t.get(`/tasks/${taskOf('cf')}/output?type=debug`, 'reader')).status).toBe(401);
  });
});

describe('a team reader', () => {
  it('reads its team’s deployment and task outputs but cannot list', async () => {
    expect((await t.get('/deployments/zookeeper', 'alpha-reader')).status).toBe(200);
    expect((await t.get(`/tasks/${taskOf('zookeeper')}/output?type=event`, 'alpha-reader')).status).toBe(200);
    expect((await t.get('/deployments/cf', 'alpha-reader')).status).toBe(401);
    const list = await t.get('/deployments', 'alpha-reader');
    expect(list.status).toBe(401);
    expect(list.json().code).toBe(600000);
  });

  it('is refused GET /tasks/{id} for every id, even one that does not exist, before the lookup', async () => {
    const expected = {
      code: 600000,
      description: `Require one of the scopes: bosh.admin, bosh.${t.sim.uuid}.admin, bosh.read, bosh.${t.sim.uuid}.read`,
    };
    for (const id of [String(taskOf('zookeeper')), '999999', 'nope']) {
      const r = await t.get(`/tasks/${id}`, 'alpha-reader');
      expect(r.status, id).toBe(401);
      expect(r.json(), id).toEqual(expected);
    }
  });
});

describe('refusal texts', () => {
  it('list the scopes in the Director’s order: admin, team admin, team read, then read', async () => {
    const u = t.sim.uuid;
    const cfTask = taskOf('cf');
    const zkTask = taskOf('zookeeper');
    expect((await t.get('/deployments/zookeeper/vms', 'beta-admin')).json().description).toBe(
      `Require one of the scopes: bosh.admin, bosh.${u}.admin, bosh.teams.alpha.admin, bosh.teams.alpha.read, bosh.read, bosh.${u}.read`,
    );
    expect((await t.call('DELETE', '/deployments/zookeeper', 'beta-admin')).json().description).toBe(
      `Require one of the scopes: bosh.admin, bosh.${u}.admin, bosh.teams.alpha.admin`,
    );
    expect((await t.get(`/tasks/${zkTask}`, 'beta-admin')).json().description).toBe(
      `One of the following scopes is required to access this task: bosh.admin, bosh.${u}.admin, bosh.teams.alpha.admin, bosh.teams.alpha.read, bosh.read, bosh.${u}.read`,
    );
    expect((await t.get(`/tasks/${cfTask}/output?type=debug`, 'reader')).json().description).toBe(
      `Require one of the scopes: bosh.admin, bosh.${u}.admin`,
    );
    // Director-wide checks name the caller's own team scopes last.
    expect((await t.get('/locks', 'alpha-admin')).json().description).toBe(
      `Require one of the scopes: bosh.admin, bosh.${u}.admin, bosh.read, bosh.${u}.read`,
    );
    expect((await t.call('DELETE', '/task/1', 'alpha-admin')).json().description).toBe(
      `Require one of the scopes: bosh.admin, bosh.${u}.admin`,
    );
  });
});
