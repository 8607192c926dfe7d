/**
 * Instance state changes from the graph: the converging start, stop, restart and recreate that
 * bosh-cli sends (`PUT /deployments/{d}/jobs/...`), the non-converging action on one instance,
 * and ignore. Each returns the task it started (or true), changes the simulated Director's
 * instances, and is refused as the Director refuses it, with nothing changed.
 */
import { describe, expect, it } from 'vitest';
import { fileGateway } from '../helpers/file-gateway.js';
import { codes, directorGet, manifest, writes } from './support.js';

const TASK = 'id state description deploymentName contextId';
const change = (
  name: string,
) => `mutation($d: String!, $g: String, $i: String, $o: InstanceActionOptions, $c: String) {
  ${name}(deployment: $d, instanceGroup: $g, instance: $i, options: $o, contextId: $c) { ${TASK} }
}`;
const ACTION = `mutation($d: String!, $g: String!, $i: String!, $a: InstanceAction!, $o: InstanceActionOptions) {
  instanceActionWithoutConverging(deployment: $d, instanceGroup: $g, instance: $i, action: $a, options: $o) { ${TASK} }
}`;
const IGNORE = `mutation($d: String!, $g: String!, $i: String!, $ignore: Boolean!) {
  ignoreInstance(deployment: $d, instanceGroup: $g, instance: $i, ignore: $ignore)
}`;

const gw = fileGateway();
let counter = 0;
/** A fresh deployment of two `web` instances, deployed directly: each test changes its own. */
async function fresh(): Promise<string> {
  const name = `acts-${++counter}`;
  const task = await gw.sim.tasks.wait(gw.sim.tasks.startDeploy(manifest(name, 2)));
  expect(task.state).toBe('done');
  gw.resetCalls();
  return name;
}

/** The desired state of `web/<index>` as the Director reports it. */
async function stateOf(deployment: string, index: number): Promise<string> {
  return (
    (await directorGet(gw, `/deployments/${deployment}/jobs/web/${index}`, 'admin')) as { state: string }
  ).state;
}

async function vmCids(deployment: string): Promise<string[]> {
  return ((await directorGet(gw, `/deployments/${deployment}/vms`, 'admin')) as { cid: string }[])
    .map((v) => v.cid)
    .sort();
}

async function done(reply: { data: Record<string, { id: string }> }, field: string): Promise<void> {
  expect((await gw.sim.tasks.wait(Number(reply.data[field]!.id))).state).toBe('done');
}

describe('converging state changes', () => {
  it('stops a whole deployment with PUT jobs/*, returning its deploy task, context id stored', async () => {
    const d = await fresh();
    const reply = await gw.graphql(change('stopInstances'), { d, c: 'ui-stop' });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.stopInstances;
    expect(task).toMatchObject({ description: 'create deployment', deploymentName: d, contextId: 'ui-stop' });
    expect(gw.calls()).toEqual([`PUT /deployments/${d}/jobs/*?state=stopped`, `GET /tasks/${task.id}`]);
    await done(reply, 'stopInstances');
    expect([await stateOf(d, 0), await stateOf(d, 1)]).toEqual(['stopped', 'stopped']);

    const started = await gw.graphql(change('startInstances'), { d, g: 'web' });
    expect(gw.calls().at(-2)).toBe(`PUT /deployments/${d}/jobs/web?state=started`);
    await done(started, 'startInstances');
    expect([await stateOf(d, 0), await stateOf(d, 1)]).toEqual(['started', 'started']);
  });

  it('stops one instance hard: its VM is deleted and it is detached', async () => {
    const d = await fresh();
    const reply = await gw.graphql(change('stopInstances'), { d, g: 'web', i: '1', o: { hard: true } });
    expect(reply.errors).toBeUndefined();
    expect(gw.calls()[0]).toBe(`PUT /deployments/${d}/jobs/web/1?state=detached`);
    await done(reply, 'stopInstances');
    expect([await stateOf(d, 0), await stateOf(d, 1)]).toEqual(['started', 'detached']);
    expect(await vmCids(d)).toHaveLength(1);
  });

  it('recreates the VM of one instance named by its id, and restarts a group', async () => {
    const d = await fresh();
    const instances = (await directorGet(gw, `/deployments/${d}/instances`, 'admin')) as {
      id: string;
      index: number;
      cid: string;
    }[];
    const target = instances.find((i) => i.index === 0)!;
    const before = await vmCids(d);
    gw.resetCalls();
    const recreated = await gw.graphql(change('recreateInstances'), { d, g: 'web', i: target.id });
    expect(gw.calls()[0]).toBe(`PUT /deployments/${d}/jobs/web/${target.id}?state=recreate`);
    await done(recreated, 'recreateInstances');
    const after = await vmCids(d);
    expect(after).not.toContain(target.cid);
    expect(after.filter((cid) => before.includes(cid))).toHaveLength(1);

    const restarted = await gw.graphql(change('restartInstances'), { d, g: 'web', o: { skipDrain: true } });
    expect(gw.calls().at(-2)).toBe(`PUT /deployments/${d}/jobs/web?skip_drain=true&state=restart`);
    await done(restarted, 'restartInstances');
    const task = restarted.data.restartInstances.id;
    const restarts = gw.sim.audit.list().filter((e) => e.task === task && e.action === 'restart');
    // Both instances of the group were restarted (a start and an end event each).
    expect(new Set(restarts.map((e) => e.instance)).size).toBe(2);
    expect(await vmCids(d)).toEqual(after);
  });

  it('sends the options the group form reads, as the Director names them', async () => {
    const d = await fresh();
    const reply = await gw.graphql(change('recreateInstances'), {
      d,
      o: {
        canaries: '1',
        maxInFlight: '50%',
        fix: true,
        dryRun: true,
        skipDrain: true,
        vmsCreatedBefore: '2020-01-01T00:00:00Z',
      },
    });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.recreateInstances.description).toBe('create deployment (dry run)');
    const [put] = gw.sim.requests.list({ method: 'PUT' });
    expect(Object.fromEntries(new URLSearchParams(put!.query))).toEqual({
      canaries: '1',
      dry_run: 'true',
      fix: 'true',
      max_in_flight: '50%',
      recreate_vms_created_before: '2020-01-01T00:00:00.000Z',
      skip_drain: 'true',
      state: 'recreate',
    });
    await done(reply, 'recreateInstances');
  });

  it('refuses options the route would ignore, and an instance without its group, before any call', async () => {
    for (const [name, variables] of [
      ['startInstances', { d: 'cf', g: 'router', i: '0', o: { canaries: '1' } }],
      ['startInstances', { d: 'cf', o: { hard: true } }],
      ['restartInstances', { d: 'cf', o: { ignoreUnresponsiveAgent: true } }],
      ['stopInstances', { d: 'cf', g: 'router', i: '0', o: { vmsCreatedBefore: '2020-01-01T00:00:00Z' } }],
      ['stopInstances', { d: 'cf', i: '0' }],
      ['recreateInstances', { d: 'cf', o: { maxInFlight: 'many' } }],
      ['restartInstances', { d: '' }],
    ] as const) {
      const reply = await gw.graphql(change(name), variables);
      expect(codes(reply), `${name} ${JSON.stringify(variables)}`).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });
});

describe('a non-converging action', () => {
  it('stops one instance hard with POST actions/stop, leaving the others alone', async () => {
    const d = await fresh();
    const reply = await gw.graphql(ACTION, { d, g: 'web', i: '0', a: 'STOP', o: { hard: true } });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.instanceActionWithoutConverging;
    expect(task).toMatchObject({ description: 'stop instance', deploymentName: d });
    expect(gw.calls()).toEqual([
      `POST /deployments/${d}/instance_groups/web/0/actions/stop?hard=true`,
      `GET /tasks/${task.id}`,
    ]);
    await done(reply, 'instanceActionWithoutConverging');
    expect([await stateOf(d, 0), await stateOf(d, 1)]).toEqual(['detached', 'started']);

    const recreate = await gw.graphql(ACTION, {
      d,
      g: 'web',
      i: '1',
      a: 'RECREATE',
      o: { ignoreUnresponsiveAgent: true, skipDrain: true },
    });
    expect(gw.calls().at(-2)).toBe(
      `POST /deployments/${d}/instance_groups/web/1/actions/recreate?ignore_unresponsive_agent=true&skip_drain=true`,
    );
    expect(recreate.data.instanceActionWithoutConverging.description).toBe('recreate instance');
    await done(recreate, 'instanceActionWithoutConverging');
  });

  it('refuses the options its action does not read, before any call', async () => {
    for (const [a, o] of [
      ['START', { skipDrain: true }],
      ['RESTART', { hard: true }],
      ['STOP', { canaries: '1' }],
      ['RECREATE', { fix: true }],
    ] as const) {
      const reply = await gw.graphql(ACTION, { d: 'cf', g: 'router', i: '0', a, o });
      expect(codes(reply), a).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });
});

describe('ignoreInstance', () => {
  it('ignores an instance and stops ignoring it, with no task', async () => {
    const d = await fresh();
    const ignored = await gw.graphql(IGNORE, { d, g: 'web', i: '0', ignore: true });
    expect(ignored.data.ignoreInstance).toBe(true);
    expect(gw.calls()).toEqual([`PUT /deployments/${d}/instance_groups/web/0/ignore`]);
    // A non-converging action on an ignored instance now fails in its task (190020).
    const refused = await gw.graphql(ACTION, { d, g: 'web', i: '0', a: 'RESTART' });
    const task = await gw.sim.tasks.wait(Number(refused.data.instanceActionWithoutConverging.id));
    expect(task.state).toBe('error');
    expect(gw.sim.tasks.eventOutput(task.id)).toContain('190020');

    expect((await gw.graphql(IGNORE, { d, g: 'web', i: '0', ignore: false })).data.ignoreInstance).toBe(true);
    const allowed = await gw.graphql(ACTION, { d, g: 'web', i: '0', a: 'RESTART' });
    expect((await gw.sim.tasks.wait(Number(allowed.data.instanceActionWithoutConverging.id))).state).toBe(
      'done',
    );
  });
});

describe('permissions', () => {
  it('refuses every instance mutation to a reader and to another team, changing nothing', async () => {
    const d = await fresh();
    const tasks = gw.sim.tasks.list().length;
    const cases: [string, Record<string, unknown>][] = [
      [change('startInstances'), { d, g: 'web' }],
      [change('stopInstances'), { d, o: { hard: true } }],
      [change('restartInstances'), { d, g: 'web', i: '0' }],
      [change('recreateInstances'), { d }],
      [ACTION, { d, g: 'web', i: '0', a: 'STOP' }],
      [IGNORE, { d, g: 'web', i: '0', ignore: true }],
    ];
    for (const user of ['reader', 'beta-admin']) {
      for (const [query, variables] of cases) {
        gw.resetCalls();
        const reply = await gw.graphql(query, variables, user);
        expect(codes(reply), `${user} ${query.slice(0, 40)}`).toEqual(['FORBIDDEN']);
        // The one call the Director refused, and no read-back after it.
        expect(writes(gw)).toHaveLength(1);
        expect(writes(gw)[0]).toMatch(/ 401$/);
        expect(gw.calls()).toHaveLength(1);
      }
    }
    expect(gw.sim.tasks.list().length).toBe(tasks);
    expect([await stateOf(d, 0), await stateOf(d, 1)]).toEqual(['started', 'started']);
  });

  it("lets a team admin change its own team's deployment", async () => {
    const reply = await gw.graphql(
      change('restartInstances'),
      { d: 'zookeeper', g: 'zookeeper', i: '0' },
      'alpha-admin',
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data.restartInstances.deploymentName).toBe('zookeeper');
    await done(reply, 'restartInstances');
  });
});
