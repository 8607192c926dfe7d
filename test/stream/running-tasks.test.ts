/**
 * docs/task-stream.md section 7: runningTasks is one poll per (credentials, filter), pushing only
 * when the list changes; taskOutput streams the raw lines of an output with cursors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { manifest, records, until } from './fixtures.js';

const RUNNING = 'subscription($d: String) { runningTasks(deployment: $d) { id state deploymentName } }';

let gw: TestGateway;
let url: string;
beforeEach(async () => {
  gw = await startTestGateway({ simulator: { tickMs: 30 } });
  url = await gw.listen();
});
afterEach(() => gw.close());

describe('runningTasks', () => {
  it('sends the running tasks, then each change, and nothing when the list stays the same', async () => {
    const sub = subscribeWs(url, RUNNING, {}, gw.sim.basicAuth('admin'));
    await sub.waitFor(1);
    expect(records(sub.results, 'runningTasks')[0]).toEqual([]);
    const id = gw.sim.tasks.startDeploy(manifest('watched', 2, 2));
    await gw.sim.tasks.wait(id);
    await until(() => records(sub.results, 'runningTasks').at(-1)?.length === 0 && sub.results.length > 1);
    const lists = records(sub.results, 'runningTasks');
    // It appeared, possibly changed state, then left; consecutive lists always differ.
    expect(lists.some((list) => list.some((t: { id: string }) => t.id === String(id)))).toBe(true);
    for (let i = 1; i < lists.length; i += 1) expect(lists[i]).not.toEqual(lists[i - 1]);
    // Many polls happened, but only changes were pushed.
    expect(gw.sim.requests.count({ method: 'GET', path: '/tasks' })).toBeGreaterThan(lists.length);
    sub.close();
  });

  it('shares one poll between subscribers with the same credentials and filter only', async () => {
    const admin = gw.sim.basicAuth('admin');
    const subs = [
      subscribeSse(url, RUNNING, {}, admin),
      subscribeWs(url, RUNNING, {}, admin),
      subscribeSse(url, RUNNING, { d: 'cf' }, admin),
      subscribeWs(url, RUNNING, {}, gw.sim.basicAuth('alpha-admin')),
    ];
    await Promise.all(subs.map((s) => s.waitFor(1)));
    expect(gw.runtime.streams.stats().runningTasksPollers).toBe(3);
    for (const sub of subs) sub.close();
    await until(() => gw.runtime.streams.stats().runningTasksPollers === 0, 5_000, 'pollers to stop');
  });

  it('shows a team admin only its own teams running tasks', async () => {
    const outside = gw.sim.tasks.startDeploy(manifest('not-alphas', 4, 3));
    const mine = gw.sim.tasks.startDeploy(manifest('alphas', 4, 3), 'alpha-admin');
    const sub = subscribeSse(url, RUNNING, {}, gw.sim.basicAuth('alpha-admin'));
    await sub.waitFor(1);
    const ids = records(sub.results, 'runningTasks')[0].map((t: { id: string }) => t.id);
    expect(ids).toContain(String(mine));
    expect(ids).not.toContain(String(outside));
    sub.close();
  });
});

describe('taskOutput', () => {
  it('streams the debug and result outputs line by line with resumable cursors', async () => {
    const auth = gw.sim.basicAuth('admin');
    const id = gw.sim.tasks.startDeploy(manifest('logged', 1, 2));
    const query =
      'subscription($id: ID!, $t: TaskOutputType!, $a: String) { taskOutput(id: $id, type: $t, after: $a) { text cursor } }';
    const debug = subscribeSse(url, query, { id: String(id), t: 'DEBUG' }, auth);
    const result = subscribeWs(url, query, { id: String(id), t: 'RESULT' }, auth);
    await Promise.all([debug.done, result.done]);
    const debugLines = records(debug.results, 'taskOutput').map((l) => l.text);
    expect(debugLines).toEqual(gw.sim.tasks.debugOutput(id).split('\n').filter(Boolean));
    expect(records(result.results, 'taskOutput').map((l) => l.text)).toEqual(
      gw.sim.tasks.resultOutput(id).split('\n').filter(Boolean),
    );
    const third = records(debug.results, 'taskOutput')[2].cursor;
    const resumed = subscribeWs(url, query, { id: String(id), t: 'DEBUG', a: third }, auth);
    await resumed.done;
    expect(records(resumed.results, 'taskOutput').map((l) => l.text)).toEqual(debugLines.slice(3));
  });

  it('refuses the debug output to a user without admin rights on the task', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('secret-debug', 1, 1));
    const query = `subscription { taskOutput(id: "${id}", type: DEBUG) { text } }`;
    const sub = subscribeSse(url, query, {}, gw.sim.basicAuth('reader'));
    await sub.done;
    expect(sub.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(sub.results.filter((r) => !r.errors)).toEqual([]);
  });
});
