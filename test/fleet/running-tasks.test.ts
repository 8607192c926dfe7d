/**
 * docs/task-stream.md section 13.7: a `runningTasks` list is read by one replica for the fleet,
 * for subscribers with the same credentials, and reaches the subscribers of every replica.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { skipRedisTests } from '../helpers/redis.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { manifest, records, until } from '../stream/fixtures.js';
import { type Replicas, startReplicas } from './replicas.js';

const skip = await skipRedisTests();
const RUNNING = 'subscription($d: String) { runningTasks(deployment: $d) { id state deploymentName } }';
let fleet: Replicas | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

describe.skipIf(skip)('runningTasks across replicas', () => {
  it('is read by one replica for all, and every replica pushes the list', async () => {
    fleet = await startReplicas(3);
    const f = fleet;
    const auth = f.sim.basicAuth('admin');
    const subs: TestSubscription[] = f.replicas.map((r, i) =>
      (i % 2 === 0 ? subscribeSse : subscribeWs)(r.url, RUNNING, {}, auth),
    );
    await until(() => subs.every((s) => s.results.length >= 1), 20_000, 'the first list everywhere');
    const id = f.sim.tasks.startDeploy(manifest('listed', 4, 3));
    const lists = (s: TestSubscription) => records(s.results, 'runningTasks') as { id: string }[][];
    // Every replica's subscriber sees the task come, then go once it ended.
    await until(
      () => subs.every((s) => lists(s).some((l) => l.some((t) => t.id === String(id)))),
      30_000,
      'the task listed everywhere',
    );
    await until(() => subs.every((s) => lists(s).at(-1)?.length === 0), 60_000, 'the list empty again');
    // The Director calls each replica's pollers made: one replica read the list for the others
    // (a lease that moved on this busy machine may let another read a round or two).
    const polls = f.replicas.map((r) => r.runtime.streams.stats().polls).sort((a, b) => b - a);
    expect(polls[0]).toBeGreaterThan(3);
    expect(polls[0]!).toBeGreaterThan(2 * (polls[1]! + polls[2]!));
    for (const s of subs) s.close();
  });
});
