/**
 * docs/task-stream.md section 13.5: Redis restarted mid-stream, on a server of the test's own.
 * Each replica polls alone while it is away, loses and repeats nothing, and the fleet is back to
 * one poller once it answers again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { onCI } from '../helpers/browser.js';
import { freePort, haveRedisServer, OwnRedis } from '../helpers/redis-server.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from '../stream/fixtures.js';
import { type Replicas, startReplicas } from './replicas.js';

const skip = !haveRedisServer() && !onCI();
let fleet: Replicas | undefined;
let redis: OwnRedis | undefined;

afterEach(async () => {
  await fleet?.close();
  await redis?.kill();
  fleet = undefined;
  redis = undefined;
});

describe.skipIf(skip)('a Redis restart mid-stream', () => {
  it('falls back to polling alone, then back to one poller, with nothing lost or repeated', async () => {
    redis = new OwnRedis(await freePort());
    await redis.start();
    const clock = new ManualClock();
    fleet = await startReplicas(3, { simulator: { clock, tickMs: 1_000 }, redisUrl: redis.url });
    const f = fleet;
    const id = f.sim.tasks.startDeploy(manifest('restart', 3, 4));
    const auth = f.sim.basicAuth('admin');
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 12; i += 1) {
      const query = `${TASK_EVENTS}\n# subscriber ${i}`;
      subs.push(
        (i % 2 === 0 ? subscribeSse : subscribeWs)(f.replicas[i % 3]!.url, query, { id: String(id) }, auth),
      );
    }
    const holders = () => f.replicas.reduce((n, r) => n + f.holders(r), 0);
    await until(() => holders() === 1, 20_000, 'one lease holder');
    let driver = setInterval(() => void clock.advance(250), 40);
    await until(() => subs.every((s) => s.results.length >= 3), 20_000, 'records flowing');

    await redis.kill();
    await until(
      () => f.replicas.every((r) => r.fleet.status().mode === 'alone'),
      20_000,
      'every replica alone',
    );
    const ready = (await (await fetch(f.replicas[0]!.url.replace('/graphql', '/ready'))).json()) as {
      fleet?: { mode: string };
    };
    expect(ready.fleet?.mode).toBe('alone');
    // Alone, each replica reads the Director for its own subscribers: three polls per round.
    const before = f.sim.requests.count({ method: 'GET', path: `/tasks/${id}/output` });
    await until(
      () => f.sim.requests.count({ method: 'GET', path: `/tasks/${id}/output` }) >= before + 6,
      20_000,
      'replicas polling alone',
    );

    clearInterval(driver);
    await redis.start();
    await until(() => f.replicas.every((r) => r.fleet.status().mode === 'shared'), 20_000, 'shared again');
    await until(() => holders() === 1, 20_000, 'one lease holder again');
    driver = setInterval(() => void clock.advance(250), 40);
    await Promise.all(subs.map((s) => s.done));
    clearInterval(driver);

    const expected = expectedStages(f.sim.tasks.events(id));
    for (const sub of subs) expect(shownStages(records(sub.results))).toEqual(expected);
    // Each replica said it polled alone, and said when it shared again.
    expect(f.logs.filter((l) => l.includes('does not answer'))).toHaveLength(3);
    expect(f.logs.filter((l) => l.includes('is back'))).toHaveLength(3);
  });
});
