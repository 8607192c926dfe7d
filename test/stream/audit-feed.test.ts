/**
 * docs/task-stream.md section 12: `directorEvents` over SSE and WebSocket against the simulated
 * Director. Each event recorded after the subscription is pushed once, oldest first; subscribers
 * with the same credentials and filter share one poller; the feed follows the lifecycle, caps
 * and error rules of every feed (section 10).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { manifest, until } from './fixtures.js';

const FEED = `subscription($d: String) {
  directorEvents(deployment: $d) { id action objectType deploymentName deployment { name } }
}`;

let gw: TestGateway;
const subs: TestSubscription[] = [];
afterEach(async () => {
  for (const sub of subs.splice(0)) sub.close();
  await gw?.close();
});

async function open(
  url: string,
  variables: Record<string, unknown>,
  user: string,
  transport: 'sse' | 'ws' = 'sse',
): Promise<TestSubscription> {
  const clients = gw.runtime.fanout.stats().clients;
  const sub = (transport === 'sse' ? subscribeSse : subscribeWs)(
    url,
    FEED,
    variables,
    gw.sim.basicAuth(user),
  );
  subs.push(sub);
  // Nothing is pushed before an event: wait until it attached to its poller.
  await until(
    () => gw.runtime.fanout.stats().clients > clients || sub.results.length > 0,
    10_000,
    'the subscription to attach',
  );
  return sub;
}

const ids = (sub: TestSubscription) => sub.results.map((r) => r.data?.directorEvents?.id as string);
/** Ids of the Director's events newer than `after`, oldest first, optionally of one deployment. */
function recordedAfter(after: number, deployment?: string): string[] {
  return gw.sim.audit
    .list()
    .filter((e) => Number(e.id) > after && (deployment === undefined || e.deployment === deployment))
    .map((e) => e.id as string)
    .reverse();
}
const newestId = () => Number(gw.sim.audit.list()[0]?.id ?? 0);

describe('directorEvents', () => {
  it('pushes each event recorded after it subscribed, once, oldest first, on both transports', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const start = newestId();
    const sse = await open(url, {}, 'admin', 'sse');
    const ws = await open(url, {}, 'admin', 'ws');
    const id = gw.sim.tasks.startDeploy(manifest('audited', 1, 2));
    await gw.sim.tasks.wait(id);
    const wanted = recordedAfter(start);
    expect(wanted.length).toBeGreaterThan(4);
    await Promise.all([sse.waitFor(wanted.length), ws.waitFor(wanted.length)]);
    expect(ids(sse)).toEqual(wanted);
    expect(ids(ws)).toEqual(wanted);
    const last = sse.results.at(-1)?.data?.directorEvents;
    expect(last).toMatchObject({ deploymentName: 'audited', deployment: { name: 'audited' } });
    // Both share one poller, and one execution (docs/task-stream.md section 11).
    expect(gw.runtime.streams.stats()).toMatchObject({ auditPollers: 1, subscriptions: 1 });
    expect(gw.runtime.fanout.stats()).toEqual({ clients: 2, executions: 1 });
  });

  it("pushes only the filter's events, with the credentials' own poller", async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const start = newestId();
    const zookeeper = await open(url, { d: 'zookeeper' }, 'alpha-admin');
    await open(url, {}, 'alpha-admin', 'ws');
    await open(url, { d: 'zookeeper' }, 'admin');
    await open(url, { d: 'zookeeper' }, 'alpha-admin', 'ws');
    expect(gw.runtime.streams.stats().auditPollers).toBe(3);
    await gw.sim.tasks.wait(gw.sim.tasks.startDeploy(manifest('not-zookeeper', 1, 1)));
    await gw.sim.tasks.wait(gw.sim.tasks.startErrand('zookeeper', 'status'));
    const wanted = recordedAfter(start, 'zookeeper');
    expect(wanted.length).toBeGreaterThan(0);
    await zookeeper.waitFor(wanted.length);
    expect(ids(zookeeper)).toEqual(wanted);
    for (const r of zookeeper.results) expect(r.data.directorEvents.deploymentName).toBe('zookeeper');
  });

  it('stops its poller when the last subscriber leaves abruptly, and polls no more', async () => {
    gw = await startTestGateway({ stream: { intervalMs: 100 } });
    const url = await gw.listen();
    const a = await open(url, {}, 'admin', 'sse');
    const b = await open(url, {}, 'admin', 'ws');
    expect(gw.runtime.streams.stats()).toMatchObject({ auditPollers: 1 });
    expect(gw.runtime.fanout.stats().clients).toBe(2);
    a.kill();
    b.kill();
    await until(() => gw.runtime.streams.stats().auditPollers === 0, 5_000, 'the poller to stop');
    expect(gw.runtime.streams.stats().subscriptions).toBe(0);
    const before = gw.sim.requests.count({ path: '/events' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gw.sim.requests.count({ path: '/events' }) - before).toBeLessThanOrEqual(1);
  });

  it('refuses credentials the Director refuses at once, attaching nothing', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const sub = subscribeSse(url, FEED, {}, `Basic ${Buffer.from('admin:wrong').toString('base64')}`);
    await sub.done;
    expect(sub.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(gw.runtime.streams.stats()).toMatchObject({ auditPollers: 0, subscriptions: 0 });
  });

  it('counts against the per-caller cap on pollers with the task feeds', async () => {
    gw = await startTestGateway({ stream: { maxPollersPerCaller: 1 } });
    const url = await gw.listen();
    const running = subscribeSse(url, 'subscription { runningTasks { id } }', {}, gw.sim.basicAuth('admin'));
    subs.push(running);
    await running.waitFor(1);
    const refused = subscribeSse(url, FEED, {}, gw.sim.basicAuth('admin'));
    subs.push(refused);
    await refused.done;
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect(gw.runtime.streams.stats().auditPollers).toBe(0);
  });

  it('rides out a short Director outage, then ends with DIRECTOR_UNAVAILABLE when it lasts', async () => {
    gw = await startTestGateway({ stream: { unavailableAfterMs: 400 } });
    const url = await gw.listen();
    const sub = await open(url, {}, 'admin');
    // More 503s than the client's own retries of one GET: the feed's retry window rides them out.
    gw.sim.faults.set({ pathPrefix: '/events', errorNext: 6, errorStatus: 503 });
    const start = newestId();
    await until(() => gw.sim.faults.get().errorNext === 0, 5_000, 'the faults to pass');
    await gw.sim.tasks.wait(gw.sim.tasks.startDeploy(manifest('after-outage', 1, 1)));
    await sub.waitFor(recordedAfter(start).length);
    expect(ids(sub)).toEqual(recordedAfter(start));

    gw.sim.faults.set({ pathPrefix: '/events', errorRate: 1, errorStatus: 503 });
    await sub.done;
    expect(sub.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('DIRECTOR_UNAVAILABLE');
    gw.sim.faults.clear();
  });
});
