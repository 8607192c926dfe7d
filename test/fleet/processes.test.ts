/**
 * docs/task-stream.md section 13 with real processes: three `bosh-graphql serve --redis` replicas
 * in front of one simulated Director. The lease holder is killed with SIGKILL mid-deploy; its
 * subscribers reconnect to the others with their cursor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { cleanPrefix, skipRedisTests, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { expectedStages, manifest, shownStages, TASK_EVENTS, until } from '../stream/fixtures.js';

const skip = await skipRedisTests();
const RUN = fileURLToPath(new URL('../../src/cli/run.ts', import.meta.url));

interface Serve {
  child: ChildProcess;
  url: string;
  replica: string;
}

let sim: Simulator | undefined;
const children: ChildProcess[] = [];
let prefix = '';

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await sim?.stop();
  sim = undefined;
  if (prefix) await cleanPrefix(prefix).catch(() => undefined);
});

/** `bosh-graphql serve` from the sources; resolves once it listens and shares through Redis. */
function serve(director: string): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN, 'serve', '--port', '0'], {
    env: {
      ...process.env,
      BOSH_ENVIRONMENT: director,
      BOSH_CLIENT: 'admin',
      BOSH_CLIENT_SECRET: 'admin',
      BOSH_GRAPHQL_POLL_INTERVAL_MS: '250',
      BOSH_GRAPHQL_REDIS_URL: TEST_REDIS_URL,
      BOSH_GRAPHQL_REDIS_PREFIX: prefix,
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const url = /GraphQL(?: and GraphiQL)? at (\S+)/.exec(out)?.[1];
      const replica = /\(replica (\w+)\)/.exec(out)?.[1];
      if (url && replica) resolve({ child, url, replica });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

describe.skipIf(skip)('three replica processes', () => {
  it('poll once per round for the fleet; after SIGKILL of the holder every subscriber ends with the whole log', async () => {
    prefix = testPrefix();
    sim = await startSimulator({ tickMs: 150 });
    const s = sim;
    const replicas = await Promise.all([0, 1, 2].map(() => serve(s.url)));
    const id = s.tasks.startDeploy(manifest('processes', 3, 4));
    const auth = s.basicAuth('admin');
    const subs: { sub: TestSubscription; on: number }[] = [];
    for (let i = 0; i < 30; i += 1) {
      const on = i % 3;
      const query = `${TASK_EVENTS}\n# subscriber ${i}`;
      const sub = (i % 2 === 0 ? subscribeSse : subscribeWs)(
        replicas[on]!.url,
        query,
        { id: String(id) },
        auth,
      );
      subs.push({ sub, on });
    }
    await until(() => subs.every((x) => x.sub.results.length >= 2), 30_000, 'records at every subscriber');

    const redis = new Redis(TEST_REDIS_URL);
    const lease = `${prefix}task:${id}:event:lease`;
    const holderOf = async () => (await redis.get(lease))?.split(':')[0];
    try {
      const first = await holderOf();
      const dead = replicas.findIndex((r) => r.replica === first);
      expect(dead).toBeGreaterThanOrEqual(0);
      // Until now: the subscribers' authorization reads, then the fleet's one poller's rounds,
      // each a state read and an output read.
      const taskReads = s.requests.count({ method: 'GET', path: `/tasks/${id}` });
      const outputReads = s.requests.count({ method: 'GET', path: `/tasks/${id}/output` });
      expect(taskReads - subs.length).toBeGreaterThanOrEqual(outputReads);
      expect(outputReads).toBeGreaterThan(0);
      replicas[dead]!.child.kill('SIGKILL');
      // Another replica with subscribers takes the lease once it expires.
      let next: string | undefined;
      await until(
        () => {
          void holderOf().then((h) => {
            next = h;
          });
          return next !== undefined && next !== first;
        },
        30_000,
        'a new lease holder',
      );
      expect(replicas.some((r, i) => i !== dead && r.replica === next)).toBe(true);

      const survivor = replicas.find((_, i) => i !== dead)!;
      const resumed: { before: TestSubscription; after: TestSubscription }[] = [];
      for (const { sub, on } of subs) {
        if (on !== dead) continue;
        await sub.done;
        const got = sub.results.filter((r) => !r.errors).map((r) => r.data.taskEvents);
        const last = got.at(-1)?.cursor as string | undefined;
        const after = subscribeWs(
          survivor.url,
          `${TASK_EVENTS}\n# resumed ${resumed.length}`,
          { id: String(id), after: last },
          auth,
        );
        resumed.push({ before: sub, after });
      }
      await Promise.all([...subs.map((x) => x.sub.done), ...resumed.map((r) => r.after.done)]);

      const expected = expectedStages(s.tasks.events(id));
      const events = (t: TestSubscription) =>
        t.results.filter((r) => !r.errors).map((r) => r.data.taskEvents);
      for (const { sub, on } of subs) if (on !== dead) expect(shownStages(events(sub))).toEqual(expected);
      for (const { before, after } of resumed) {
        expect(after.results.every((r) => !r.errors)).toBe(true);
        expect(shownStages([...events(before), ...events(after)])).toEqual(expected);
      }
      // Three replicas polling alone download the log three times; the fleet, once (a little
      // more if a holder stalled past its lease on this busy machine).
      const logBytes = Buffer.byteLength(s.tasks.eventOutput(id), 'utf8');
      expect(s.requests.bytes({ method: 'GET', path: `/tasks/${id}/output` })).toBeLessThan(logBytes * 1.5);
    } finally {
      redis.disconnect();
    }
  });
});
