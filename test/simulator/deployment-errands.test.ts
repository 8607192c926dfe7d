import { describe, expect, it } from 'vitest';
import { eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const run = (name: string, body: unknown, d = 'zookeeper', user = 'admin') =>
  t.call('POST', `/deployments/${d}/errands/${name}/runs`, user, { body: JSON.stringify(body) });

function results(id: number) {
  return t.sim.tasks
    .resultOutput(id)
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('GET /deployments/{d}/errands', () => {
  it('lists errand groups in manifest order, then de-duplicated jobs with bin/run', async () => {
    expect((await t.get('/deployments/zookeeper/errands', 'alpha-reader')).json()).toEqual([
      { name: 'smoke-tests' },
      { name: 'status' },
    ]);
    expect((await t.get('/deployments/cf/errands')).json()).toEqual([]);
  });
});

describe('POST /deployments/{d}/errands/{name}/runs', () => {
  it('runs smoke-tests on a VM made for it, exits 0 and counts one success', async () => {
    const id = taskIdFrom(await run('smoke-tests', {}));
    const task = await t.finish(id);
    expect(task).toMatchObject({
      state: 'done',
      description: 'run errand smoke-tests from deployment zookeeper',
      result: '1 succeeded, 0 errored, 0 canceled',
    });
    const [line] = results(id);
    expect(Object.keys(line)).toEqual(['instance', 'errand_name', 'exit_code', 'stdout', 'stderr', 'logs']);
    expect(line).toMatchObject({ errand_name: 'smoke-tests', exit_code: 0, stderr: '' });
    const stages = [
      ...new Set(
        events(t.sim, id)
          .map((e) => e.stage)
          .filter(Boolean),
      ),
    ];
    expect(stages.slice(0, 4)).toEqual([
      'Preparing deployment',
      'Creating missing vms',
      'Updating instance',
      'Running errand',
    ]);
    expect(stages.at(-1)).toBe('Deleting errand instances');
    // No VM is left behind without keep-alive.
    const errand = (await t.get('/deployments/zookeeper/instances'))
      .json()
      .find((i: { job: string }) => i.job === 'smoke-tests');
    expect(errand.cid).toBeNull();
  });

  it('runs status on every zookeeper node: one exits 1 with stderr, and the task is still done', async () => {
    const id = taskIdFrom(await run('status', {}));
    const task = await t.finish(id);
    expect(task.state).toBe('done');
    expect(task.result).toBe('4 succeeded, 1 errored, 0 canceled');
    const failed = results(id).filter((l) => l.exit_code !== 0);
    expect(failed).toHaveLength(1);
    expect(failed[0].stderr).toMatch(/not serving requests/);
    const audit = (await t.get(`/events?task=${id}&object_type=errand`)).json();
    expect(audit.filter((e: { context: { exit_code?: number } }) => e.context.exit_code === 1)).toHaveLength(
      1,
    );
  });

  it('filters instances by group, index, uuid or first, with hyphenated keys only', async () => {
    const id = taskIdFrom(
      await run('status', {
        instances: [
          { group: 'zookeeper', id: '2' },
          { group: 'zookeeper', id: 'first' },
        ],
      }),
    );
    await t.finish(id);
    expect(results(id)).toHaveLength(2);
    const kept = taskIdFrom(await run('smoke-tests', { keep_alive: true, 'keep-alive': true }));
    await t.finish(kept);
    const errand = (await t.get('/deployments/zookeeper/instances'))
      .json()
      .find((i: { job: string }) => i.job === 'smoke-tests');
    expect(errand.cid).not.toBeNull();
  });

  it('fails in the task for an unknown errand (70009), a non-errand group (510000) and unmatched filters (100)', async () => {
    const unknown = taskIdFrom(await run('nope', {}));
    await t.finish(unknown);
    expect(events(t.sim, unknown).at(-1).error).toEqual({
      code: 70009,
      message: "Errand 'nope' doesn't exist",
    });
    const group = taskIdFrom(await run('zookeeper', {}));
    await t.finish(group);
    expect(events(t.sim, group).at(-1).error.code).toBe(510000);
    const filter = taskIdFrom(await run('status', { instances: [{ group: 'zookeeper', id: '9' }] }));
    await t.finish(filter);
    expect(events(t.sim, filter).at(-1).error.message).toMatch(/^No instances match selection criteria: \[/);
  });

  it('refuses to run while an instance is stopped (510000)', async () => {
    await t.finish(
      taskIdFrom(await t.call('POST', '/deployments/zookeeper/instance_groups/zookeeper/3/actions/stop?')),
    );
    const id = taskIdFrom(await run('status', {}));
    await t.finish(id);
    expect(events(t.sim, id).at(-1).error.message).toMatch(
      /^Instance\(s\) 'zookeeper\/[0-9a-f-]+' is stopped, unable to run errand\. Maybe start vm\?$/,
    );
  });

  it('skips a when-changed run when nothing changed since the last good one, with an empty result output', async () => {
    await t.finish(taskIdFrom(await run('smoke-tests', {})));
    const id = taskIdFrom(await run('smoke-tests', { 'when-changed': true }));
    expect((await t.finish(id)).result).toBe('skipped - no changes detected');
    expect(t.sim.tasks.resultOutput(id)).toBe('');
  });

  it('answers a body that is not JSON with a 500', async () => {
    const r = await t.call('POST', '/deployments/zookeeper/errands/status/runs', 'admin', { body: '' });
    expect(r.status).toBe(500);
    expect(r.text).toBe('');
  });
});
