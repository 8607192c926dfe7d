/**
 * docs/task-stream.md section 13: replicas sharing one poller per task through Redis. Three
 * replicas in one process, in front of one simulated Director.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { skipRedisTests, TEST_REDIS_URL } from '../helpers/redis.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from '../stream/fixtures.js';
import { type Replicas, startReplicas } from './replicas.js';

const skip = await skipRedisTests();
let fleet: Replicas | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

function outputBytes(f: Replicas, id: number): number {
  return f.sim.requests.bytes({ method: 'GET', path: `/tasks/${id}/output` });
}

describe.skipIf(skip)('replicas sharing through Redis', () => {
  it('reads the Director once per round for the whole fleet, and every subscriber gets the whole log', async () => {
    const clock = new ManualClock();
    fleet = await startReplicas(3, { simulator: { clock, tickMs: 1_000 } });
    const f = fleet;
    const id = f.sim.tasks.startDeploy(manifest('fleet', 3, 3));
    const auth = f.sim.basicAuth('admin');
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 30; i += 1) {
      const replica = f.replicas[i % 3]!;
      // Distinct variables per subscriber: no shared execution, one authorization read each.
      const query = `${TASK_EVENTS}\n# subscriber ${i}`;
      subs.push((i % 2 === 0 ? subscribeSse : subscribeWs)(replica.url, query, { id: String(id) }, auth));
    }
    await until(
      () => f.replicas.every((r) => r.runtime.streams.stats().taskPollers === 1),
      20_000,
      'pollers',
    );
    await until(() => f.replicas.reduce((n, r) => n + f.holders(r), 0) === 1, 20_000, 'one lease holder');
    const metrics = await Promise.all(
      f.replicas.map(async (r) => (await fetch(r.url.replace('/graphql', '/metrics'))).text()),
    );
    for (const text of metrics) expect(text).toMatch(/^bosh_graphql_fleet_shared 1$/m);
    // A replica learns it lost a lease at its next renewal: count the holders, not exactly one.
    expect(metrics.filter((text) => /^bosh_graphql_task_leases_held 1$/m.test(text)).length).toBeGreaterThan(
      0,
    );
    const driver = setInterval(() => void clock.advance(250), 20);
    await Promise.all(subs.map((s) => s.done));
    clearInterval(driver);

    const expected = expectedStages(f.sim.tasks.events(id));
    const first = records(subs[0]!.results);
    expect(shownStages(first)).toEqual(expected);
    for (const sub of subs) expect(records(sub.results)).toEqual(first);

    // Three replicas polling alone would download the log three times; the fleet reads it once
    // (and a little more when a holder stalled past its lease on this busy, shared machine: what
    // it read then went to waste, see section 13.4).
    const logBytes = Buffer.byteLength(f.sim.tasks.eventOutput(id), 'utf8');
    expect(outputBytes(f, id)).toBeGreaterThanOrEqual(logBytes);
    expect(outputBytes(f, id)).toBeLessThan(logBytes * 1.5);
    // One output read per state read of the poller; the other state reads are the authorizations.
    const taskReads = f.sim.requests.count({ method: 'GET', path: `/tasks/${id}` });
    const outputReads = f.sim.requests.count({ method: 'GET', path: `/tasks/${id}/output` });
    expect(taskReads - subs.length).toBeGreaterThanOrEqual(outputReads);
    expect(taskReads - subs.length).toBeLessThanOrEqual(outputReads + 3);
  });
});

describe.skipIf(skip)('a lease holder that dies', () => {
  it('passes its lease on; every subscriber ends with the whole log, resumed elsewhere with its cursor', async () => {
    const clock = new ManualClock();
    fleet = await startReplicas(3, { simulator: { clock, tickMs: 1_000 } });
    const f = fleet;
    const id = f.sim.tasks.startDeploy(manifest('takeover', 3, 4));
    const auth = f.sim.basicAuth('admin');
    const subs: { sub: TestSubscription; replica: number }[] = [];
    for (let i = 0; i < 12; i += 1) {
      const query = `${TASK_EVENTS}\n# subscriber ${i}`;
      const sub = (i % 2 === 0 ? subscribeSse : subscribeWs)(
        f.replicas[i % 3]!.url,
        query,
        { id: String(id) },
        auth,
      );
      subs.push({ sub, replica: i % 3 });
    }
    await until(() => f.replicas.reduce((n, r) => n + f.holders(r), 0) === 1, 20_000, 'one lease holder');
    const driver = setInterval(() => void clock.advance(250), 20);
    await until(() => subs.every((s) => s.sub.results.length >= 3), 20_000, 'records flowing');
    const dead = f.replicas.findIndex((r) => f.holders(r) === 1);
    const victim = f.replicas[dead]!;
    // Dies without a word: its Redis connections drop first, so it gives no lease back.
    await victim.fleet.close();
    await victim.runtime.close();
    await until(
      () => f.replicas.some((r, i) => i !== dead && f.holders(r) === 1),
      20_000,
      'a new lease holder',
    );
    // The dead replica's subscribers reconnect elsewhere with their last cursor.
    const survivor = f.replicas.find((_, i) => i !== dead)!;
    const resumed: { before: TestSubscription; after: TestSubscription }[] = [];
    for (const { sub, replica } of subs) {
      if (replica !== dead) continue;
      await sub.done;
      const got = sub.results.filter((r) => !r.errors).map((r) => r.data.taskEvents);
      const cursor = got.at(-1)?.cursor;
      const after = subscribeWs(survivor.url, TASK_EVENTS, { id: String(id), after: cursor }, auth);
      resumed.push({ before: sub, after });
    }
    await Promise.all([...subs.map((s) => s.sub.done), ...resumed.map((r) => r.after.done)]);
    clearInterval(driver);

    const expected = expectedStages(f.sim.tasks.events(id));
    for (const { sub, replica } of subs) {
      if (replica === dead) continue;
      expect(shownStages(records(sub.results))).toEqual(expected);
    }
    for (const { before, after } of resumed) {
      const got = [
        ...before.results.filter((r) => !r.errors).map((r) => r.data.taskEvents),
        ...records(after.results),
      ];
      expect(shownStages(got)).toEqual(expected);
    }
    // The new holder went on from the stream's last cursor: the Director sent each byte once
    // (the resumed subscribers' own catch-up reads aside, which read nothing the stream still has).
    const logBytes = Buffer.byteLength(f.sim.tasks.eventOutput(id), 'utf8');
    expect(outputBytes(f, id)).toBeLessThan(logBytes * 1.5);
  });
});

describe.skipIf(skip)('without Redis', () => {
  it('polls alone, says so in its log and /ready, and loses nothing', async () => {
    // Nothing listens on port 1: each replica polls alone from the start.
    fleet = await startReplicas(2, { redisUrl: 'redis://127.0.0.1:1', shared: false });
    const f = fleet;
    const id = f.sim.tasks.startDeploy(manifest('alone', 2, 2));
    const auth = f.sim.basicAuth('admin');
    const subs = f.replicas.map((r) => subscribeSse(r.url, TASK_EVENTS, { id: String(id) }, auth));
    await Promise.all(subs.map((s) => s.done));
    const expected = expectedStages(f.sim.tasks.events(id));
    for (const sub of subs) expect(shownStages(records(sub.results))).toEqual(expected);
    // Each polled on its own: the log came twice.
    const logBytes = Buffer.byteLength(f.sim.tasks.eventOutput(id), 'utf8');
    expect(outputBytes(f, id)).toBeGreaterThanOrEqual(logBytes * 2);
    const ready = await fetch(f.replicas[0]!.url.replace('/graphql', '/ready'));
    const report = (await ready.json()) as { fleet?: { mode: string; message?: string } };
    expect(ready.status).toBe(200);
    expect(report.fleet?.mode).toBe('alone');
    expect(report.fleet?.message).toMatch(/Redis does not answer/);
    expect(f.logs.filter((l) => l.includes('polls the Director alone'))).toHaveLength(2);
    const metrics = await (await fetch(f.replicas[0]!.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/^bosh_graphql_fleet_shared 0$/m);
  });
});

describe.skipIf(skip)('a lease holder that shuts down', () => {
  it('gives its lease back as it closes, instead of letting it expire', async () => {
    fleet = await startReplicas(2, { stream: { intervalMs: 5_000 } });
    const f = fleet;
    const id = f.sim.tasks.startDeploy(manifest('handover', 2, 2));
    const auth = f.sim.basicAuth('admin');
    const subs = f.replicas.map((r) => subscribeWs(r.url, TASK_EVENTS, { id: String(id) }, auth));
    await until(() => f.replicas.reduce((n, r) => n + f.holders(r), 0) === 1, 20_000, 'one lease holder');
    const holder = f.replicas.find((r) => f.holders(r) === 1)!;
    const lease = `${f.prefix}task:${id}:event:lease`;
    const redis = new Redis(TEST_REDIS_URL);
    try {
      expect(await redis.get(lease)).toMatch(new RegExp(`^${holder.fleet.link.replica}:`));
      await holder.runtime.close();
      // With a 5 s interval the lease would last 8 s; it is gone (or another replica's) at once.
      expect(String(await redis.get(lease))).not.toMatch(new RegExp(`^${holder.fleet.link.replica}:`));
    } finally {
      redis.disconnect();
      for (const sub of subs) sub.close();
    }
  });
});
