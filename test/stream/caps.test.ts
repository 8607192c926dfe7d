/**
 * docs/task-stream.md section 10.2: caps on pollers, per process and per caller identity. A
 * subscription past a cap fails at once with TOO_MANY_SUBSCRIPTIONS; sharing a poller is free.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { manifest, TASK_UPDATED, until } from './fixtures.js';

const RUNNING = 'subscription($d: String) { runningTasks(deployment: $d) { id } }';

let gw: TestGateway;
const subs: TestSubscription[] = [];
afterEach(async () => {
  for (const sub of subs.splice(0)) sub.close();
  await gw?.close();
});

function open(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  auth?: string,
): TestSubscription {
  const sub = (subs.length % 2 === 0 ? subscribeSse : subscribeWs)(url, query, variables, auth);
  subs.push(sub);
  return sub;
}

function code(sub: TestSubscription): unknown {
  return sub.results[0]?.errors?.[0]?.extensions?.code;
}

describe('poller caps', () => {
  it('lets one caller watch at most 50 task lists, refusing the rest at once', async () => {
    gw = await startTestGateway({ stream: { intervalMs: 200 } });
    const url = await gw.listen();
    // No Authorization: every one of them is the configured client, one identity.
    const many = Array.from({ length: 60 }, (_, i) => open(url, RUNNING, { d: `d${i}` }));
    await Promise.all(many.map((sub) => sub.waitFor(1)));
    const refused = many.filter((sub) => code(sub) === 'TOO_MANY_SUBSCRIPTIONS');
    expect(refused).toHaveLength(10);
    for (const sub of refused) await sub.done;
    expect(gw.runtime.streams.stats().runningTasksPollers).toBe(50);
    expect(refused[0]?.results[0]?.errors?.[0]?.message).toMatch(/50/);
  });

  it('shares one runningTasks poller among subscribers with the same filter and credentials', async () => {
    gw = await startTestGateway({ stream: { intervalMs: 200, maxPollersPerCaller: 1 } });
    const url = await gw.listen();
    const same = Array.from({ length: 10 }, () => open(url, RUNNING, { d: 'cf' }, gw.sim.basicAuth('admin')));
    await Promise.all(same.map((sub) => sub.waitFor(1)));
    expect(same.every((sub) => sub.results[0]?.errors === undefined)).toBe(true);
    expect(gw.runtime.streams.stats()).toMatchObject({ runningTasksPollers: 1 });
    expect(gw.runtime.fanout.stats().clients).toBe(10);
  });

  it('caps the pollers of the process, while joining a running poller stays free', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 200 }, stream: { intervalMs: 200, maxPollers: 2 } });
    const url = await gw.listen();
    const first = gw.sim.tasks.startDeploy(manifest('capped-a', 4, 2));
    const second = gw.sim.tasks.startDeploy(manifest('capped-b', 4, 2), 'alpha-admin');
    const a = open(url, TASK_UPDATED, { id: String(first) }, gw.sim.basicAuth('admin'));
    const b = open(url, TASK_UPDATED, { id: String(second) }, gw.sim.basicAuth('admin'));
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    expect(gw.runtime.streams.stats().taskPollers).toBe(2);
    // A third task would need a third poller: refused, whoever asks.
    const third = open(url, RUNNING, {}, gw.sim.basicAuth('reader'));
    await third.done;
    expect(code(third)).toBe('TOO_MANY_SUBSCRIPTIONS');
    // Another user joining a task that already has its poller is fine.
    const joined = open(url, TASK_UPDATED, { id: String(first) }, gw.sim.basicAuth('reader'));
    await joined.waitFor(1);
    expect(joined.results[0]?.errors).toBeUndefined();
    expect(gw.runtime.streams.stats().taskPollers).toBe(2);
    // Once a poller ends, its slot is free again.
    a.close();
    joined.close();
    await until(() => gw.runtime.streams.stats().taskPollers === 1, 5_000, 'the first poller to stop');
    const later = open(url, RUNNING, {}, gw.sim.basicAuth('reader'));
    await later.waitFor(1);
    expect(later.results[0]?.errors).toBeUndefined();
  });
});
