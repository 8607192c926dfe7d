/**
 * docs/task-stream.md section 13.7: the live audit feed is read by one replica for the fleet, for
 * subscribers with the same credentials and filter, and every replica's subscribers get each new
 * event once, in order, also when the lease moves to another replica.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { skipRedisTests } from '../helpers/redis.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { manifest, until } from '../stream/fixtures.js';
import { type Replicas, startReplicas } from './replicas.js';

const skip = await skipRedisTests();
const EVENTS = 'subscription($d: String) { directorEvents(deployment: $d) { id action objectType } }';
let fleet: Replicas | undefined;

afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

const ids = (s: TestSubscription) => s.results.map((r) => r.data?.directorEvents?.id as string);

describe.skipIf(skip)('directorEvents across replicas', () => {
  it('is read by one replica for all; every subscriber gets each new event once, in order', async () => {
    fleet = await startReplicas(3);
    const f = fleet;
    const auth = f.sim.basicAuth('admin');
    const newest = () => Number(f.sim.audit.list()[0]?.id ?? 0);
    const start = newest();
    const subs = f.replicas.map((r, i) =>
      (i % 2 === 0 ? subscribeSse : subscribeWs)(r.url, EVENTS, {}, auth),
    );
    // Every replica has its feed's poller before the Director records anything.
    await until(
      () => f.replicas.every((r) => r.runtime.streams.stats().auditPollers === 1),
      20_000,
      'a poller on every replica',
    );
    const before = f.replicas.map((r) => r.runtime.streams.stats().polls);

    await f.sim.tasks.wait(f.sim.tasks.startDeploy(manifest('audited-fleet', 1, 2)));
    const wanted = () =>
      f.sim.audit
        .list()
        .filter((e) => Number(e.id) > start)
        .map((e) => e.id as string)
        .reverse();
    expect(wanted().length).toBeGreaterThan(4);
    await until(
      () => subs.every((s) => s.results.length >= wanted().length),
      30_000,
      'every event everywhere',
    );
    for (const s of subs) expect(ids(s)).toEqual(wanted());

    // One replica reads the feed for the others (a lease that moved on this busy machine may let
    // another read a round or two): count over a dozen rounds.
    const counted = () => f.replicas.map((r, i) => r.runtime.streams.stats().polls - before[i]!);
    await until(() => Math.max(...counted()) >= 12, 20_000, 'a dozen rounds');
    const polls = counted().sort((a, b) => b - a);
    expect(polls[0]!).toBeGreaterThan(2 * (polls[1]! + polls[2]!));
    for (const s of subs) s.close();
  });

  it('keeps every event once when the lease holder stops and another replica takes over', async () => {
    fleet = await startReplicas(3);
    const f = fleet;
    const auth = f.sim.basicAuth('admin');
    const start = Number(f.sim.audit.list()[0]?.id ?? 0);
    const subs = f.replicas.map((r) => subscribeSse(r.url, EVENTS, {}, auth));
    await until(
      () => f.replicas.every((r) => r.runtime.streams.stats().auditPollers === 1),
      20_000,
      'a poller on every replica',
    );
    const polls = () => f.replicas.map((r) => r.runtime.streams.stats().polls);
    // The replica that reads the feed: the one whose polls go on growing.
    const first = polls();
    await until(() => polls().some((p, i) => p > first[i]! + 2), 20_000, 'a holder reading');
    const holder = polls().findIndex((p, i) => p > first[i]! + 2);
    const rest = f.replicas.filter((_, i) => i !== holder);
    const restSubs = subs.filter((_, i) => i !== holder);

    // The holder goes (its lease with it); the Director records events meanwhile.
    await f.replicas[holder]!.runtime.close();
    await f.sim.tasks.wait(f.sim.tasks.startDeploy(manifest('audited-takeover', 1, 2)));
    const wanted = f.sim.audit
      .list()
      .filter((e) => Number(e.id) > start)
      .map((e) => e.id as string)
      .reverse();
    expect(wanted.length).toBeGreaterThan(4);
    await until(() => restSubs.every((s) => s.results.length >= wanted.length), 30_000, 'every event');
    for (const s of restSubs) expect(ids(s)).toEqual(wanted);
    // One of the others took the lease and reads for both.
    expect(rest.some((r) => r.runtime.streams.stats().polls > 0)).toBe(true);
    for (const s of subs) s.close();
  });
});
