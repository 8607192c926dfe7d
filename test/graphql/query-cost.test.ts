/**
 * What each query costs in Director calls, read from the simulated Director's request log. Every
 * test first runs `{ director { name } }` and empties the log, so the client's one-time anonymous
 * `/info` (its auth-mode probe) is not counted.
 */
import { describe, expect, it } from 'vitest';
import { fileGateway } from '../helpers/file-gateway.js';
import { startTestGateway } from '../helpers/gateway.js';
import { DEPLOYMENTS_PAGE, deployDirectly, directorGet, until } from './support.js';

const gw = fileGateway();

/** Runs a query that must succeed and returns its data. */
async function data(query: string, variables?: Record<string, unknown>) {
  const reply = await gw.graphql(query, variables);
  expect(reply.errors).toBeUndefined();
  return reply.data;
}

const sorted = (calls: string[]) => [...calls].sort();

describe('the deployments page (Q1)', () => {
  it('costs exactly 2 calls, /deployments and /stemcells: release names and versions come with /deployments', async () => {
    const result = await data(DEPLOYMENTS_PAGE);
    expect(result.deployments.length).toBe(gw.sim.deployments.names().length);
    expect(sorted(gw.calls())).toEqual(['GET /deployments', 'GET /stemcells']);
  });

  it('reads /releases once, only for the release fields that need it', async () => {
    const result = await data(`{ deployments {
      releases { name version commitHash jobNames release { name versions { version } } }
    } }`);
    expect(sorted(gw.calls())).toEqual(['GET /deployments', 'GET /releases']);
    const listed = await data('{ releases { name versions { version commitHash jobNames } } }');
    for (const d of result.deployments) {
      for (const rv of d.releases) {
        const release = listed.releases.find((r: { name: string }) => r.name === rv.name);
        expect(rv.release.versions).toEqual(
          release.versions.map((v: { version: string }) => ({ version: v.version })),
        );
        const version = release.versions.find((v: { version: string }) => v.version === rv.version);
        expect([rv.commitHash, rv.jobNames]).toEqual([version.commitHash, version.jobNames]);
      }
    }
  });

  it('fills in every release version and stemcell of every deployment from those lists', async () => {
    const result = await data(DEPLOYMENTS_PAGE);
    const cf = result.deployments.find((d: { name: string }) => d.name === 'cf');
    expect(cf.releases.length).toBeGreaterThan(0);
    for (const rv of cf.releases) expect(rv.release.name).toEqual(expect.any(String));
    expect(cf.stemcells.length).toBeGreaterThan(0);
    for (const s of cf.stemcells) {
      expect(s.operatingSystem).toBe('ubuntu-jammy');
      expect(s.deployments.map((d: { name: string }) => d.name)).toContain('cf');
    }
  });

  it('still costs 2 calls after more deployments are added', async () => {
    const before = gw.sim.deployments.names().length;
    await deployDirectly(gw, 'cost-a');
    await deployDirectly(gw, 'cost-b');
    await gw.graphql('{ director { name } }');
    gw.resetCalls();

    const result = await data(DEPLOYMENTS_PAGE);
    expect(result.deployments.length).toBe(before + 2);
    expect(result.deployments.map((d: { name: string }) => d.name)).toEqual(
      expect.arrayContaining(['cost-a', 'cost-b']),
    );
    expect(sorted(gw.calls())).toEqual(['GET /deployments', 'GET /stemcells']);
  });
});

describe('the lists a deployments page reads', () => {
  it('are asked for together with /deployments, not once it has answered', async () => {
    // /deployments hangs past the operation's deadline: a list asked for only after its answer
    // would never be sent at all.
    const slow = await startTestGateway({ limits: { requestTimeoutMs: 1_500 } });
    try {
      slow.sim.faults.set({ latencyMs: 70_000, pathPrefix: '/deployments', method: 'GET' });
      await slow.graphql('{ director { name } }');
      slow.resetCalls();
      const reply = slow.graphql('{ deployments { name stemcells { name } releases { version jobNames } } }');
      await until(() => slow.calls().length === 3, 'the lists to be asked for');
      expect(sorted(slow.calls())).toEqual(['GET /deployments', 'GET /releases', 'GET /stemcells']);
      expect((await reply).errors?.[0]?.extensions?.code).toBe('DIRECTOR_TIMEOUT');
    } finally {
      await slow.close();
    }
  });

  it('are not asked for when no selected field reads them', async () => {
    await data('{ deployments { name releases { version release { name } } } }');
    expect(gw.calls()).toEqual(['GET /deployments']);
  });
});

describe('VMs of every deployment', () => {
  it('costs one /vms call per deployment, plus the list', async () => {
    const result = await data('{ deployments { name vms { cid } } }');
    const names: string[] = result.deployments.map((d: { name: string }) => d.name);
    expect(names.length).toBeGreaterThan(1);
    expect(sorted(gw.calls())).toEqual(
      sorted(['GET /deployments', ...names.map((n) => `GET /deployments/${n}/vms`)]),
    );
  });

  it('sends the /vms calls of all deployments at once, not one after the other', async () => {
    // Each /vms answer is held back; all of them must have arrived at the Director before the
    // first one is answered. Sequential calls would leave one request in flight at a time.
    gw.sim.faults.set({ latencyMs: 1_500, pathPrefix: '/deployments/' });
    const names = gw.sim.deployments.names();
    const pending = gw.graphql('{ deployments { vms { cid } } }');
    const vmsRequests = () => gw.sim.requests.list({ path: /^\/deployments\/[^/]+\/vms$/ });
    await until(() => vmsRequests().length === names.length, 'every /vms request to arrive');
    expect(vmsRequests().map((r) => r.status)).toEqual(names.map(() => null));
    const reply = await pending;
    expect(reply.errors).toBeUndefined();
    expect(vmsRequests().map((r) => r.status)).toEqual(names.map(() => 200));
  });
});

describe('VM details (Q3)', () => {
  it("cost only the vms?format=full task's own calls: start it, poll it, read its result", async () => {
    const result = await data(
      '{ deployment(name: "cf") { vms { cid details { jobState vitals { load } } } } }',
    );
    const vms = result.deployment.vms;
    expect(vms.length).toBeGreaterThan(1);
    expect(vms.every((vm: { details: unknown }) => vm.details !== null)).toBe(true);
    const calls = gw.calls();
    const polls = calls.filter((c) => /^GET \/tasks\/\d+$/.test(c));
    const task = polls[0]?.slice('GET /tasks/'.length);
    expect(polls.length).toBeGreaterThan(0);
    expect(calls).toEqual([
      'GET /deployments/cf/vms?format=full',
      ...polls,
      `GET /tasks/${task}/output?type=result`,
    ]);
    // The same VMs as plain /vms lists (an inactive one among them), each once.
    const wire = (await directorGet(gw, '/deployments/cf/vms', 'admin')) as {
      cid: string;
      active: boolean;
    }[];
    expect(wire.some((vm) => !vm.active)).toBe(true);
    expect(vms.map((vm: { cid: string }) => vm.cid).sort()).toEqual(wire.map((vm) => vm.cid).sort());
  });

  it('list the VMs from plain /vms when the task fails, each details carrying its error', async () => {
    // The task's first status read fails: the task cannot be waited for.
    gw.sim.faults.set({ errorNext: 1, errorStatus: 500, pathPrefix: '/tasks/' });
    const reply = await gw.graphql('{ deployment(name: "cf") { vms { cid details { jobState } } } }');
    const vms = reply.data.deployment.vms;
    expect(vms.length).toBeGreaterThan(1);
    expect(vms.every((vm: { cid: string; details: unknown }) => vm.cid && vm.details === null)).toBe(true);
    expect(reply.errors?.length).toBe(vms.length);
    expect(gw.sim.requests.count({ path: '/deployments/cf/vms', query: '' })).toBe(1);
  });

  it('share one task between aliases and fragments asking for the same deployment', async () => {
    const result = await data(`
      {
        a: deployment(name: "cf") { vms { details { jobState } } }
        b: deployment(name: "cf") { vms { cid details { vmType } } }
        ...More
      }
      fragment More on Query { deployment(name: "cf") { vms { details { bootstrap } } } }
    `);
    expect(result.a.vms.length).toBe(result.b.vms.length);
    expect(fullTasks('cf')).toBe(1);
    expect(gw.sim.requests.count({ path: '/deployments/cf/vms', query: '' })).toBe(0);
    expect(gw.sim.requests.count({ path: '/deployments' })).toBe(0);
  });

  it('cost one task per deployment asked about', async () => {
    await data(`{
      cf: deployment(name: "cf") { vms { details { jobState } } }
      zk: deployment(name: "zookeeper") { vms { details { jobState } } }
    }`);
    expect(fullTasks('cf')).toBe(1);
    expect(fullTasks('zookeeper')).toBe(1);
  });
});

describe('tasks', () => {
  it('costs 2 calls for 20 tasks with their deployments', async () => {
    const result = await data('{ tasks(limit: 20) { deployment { name teams } } }');
    expect(result.tasks).toHaveLength(20);
    expect(result.tasks.some((t: { deployment: unknown }) => t.deployment !== null)).toBe(true);
    expect(sorted(gw.calls())).toEqual(['GET /deployments', 'GET /tasks?limit=20&verbose=1']);
  });

  it('costs one call per distinct task list', async () => {
    await data(`{
      a: tasks(limit: 5) { id }
      b: tasks(limit: 5) { state }
      c: tasks(limit: 6) { id }
    }`);
    expect(sorted(gw.calls())).toEqual(['GET /tasks?limit=5&verbose=1', 'GET /tasks?limit=6&verbose=1']);
  });
});

describe('aliases and fragments', () => {
  it('add no call when they repeat a field', async () => {
    await data(`
      {
        one: deployments { name }
        two: deployments { releases { version } }
        ...Catalog
        releases { name }
        again: releases { versions { version } }
        director { name }
        same: director { version }
      }
      fragment Catalog on Query {
        deployments { stemcells { name } }
        stemcells { version }
      }
    `);
    expect(sorted(gw.calls())).toEqual(['GET /deployments', 'GET /info', 'GET /releases', 'GET /stemcells']);
  });
});

describe('loaders', () => {
  it('belong to one operation: the same query twice costs its calls twice', async () => {
    await data(DEPLOYMENTS_PAGE);
    const first = sorted(gw.calls());
    await data(DEPLOYMENTS_PAGE);
    expect(sorted(gw.calls())).toEqual(sorted([...first, ...first]));
  });

  it('belong to one operation: VM details start a new task for the next operation', async () => {
    const query = '{ deployment(name: "zookeeper") { vms { details { jobState } } } }';
    await data(query);
    await data(query);
    expect(fullTasks('zookeeper')).toBe(2);
  });
});

/** How many `vms?format=full` tasks were started for a deployment. */
function fullTasks(name: string): number {
  return gw.sim.requests.count({ method: 'GET', path: `/deployments/${name}/vms`, query: 'format=full' });
}
