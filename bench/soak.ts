/**
 * Soak: many clients at once for a minute, doing everything a console does, some of them leaving
 * abruptly; then the gateway must be back at rest (docs/task-stream.md section 10).
 *
 * 200 clients (by default) run for 60 s against one gateway in this process, in front of a
 * simulated Director in a process of its own (so heap and CPU figures are the gateway's). Each
 * client loops over a random mix, by a seeded generator:
 * - queries (the deployments page, recent tasks with their deployments, one deployment's VM vitals
 *   through a `format=full` task, `{ director { name } }`);
 * - `taskEvents` and `runningTasks` subscriptions over SSE and over WebSocket, held 0.2 to 3 s;
 * - deploys of one of ten small deployments (lock conflicts are the Director's answer, not errors).
 *
 * One client in five is rude: it drops its socket at a random moment of each request or
 * subscription, without a word. Reported: operations by kind, unexpected errors (any GraphQL
 * error, or a failed request of a polite client; goal 0), the gauges and the Director queue once
 * every client has gone (goal 0), and heap after a full GC at the end against the start (goal
 * within 10 %).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGatewayRuntime } from '../src/server/start.js';
import { deployManifest } from '../test/helpers/manifests.js';
import { rawPost } from '../test/helpers/raw-post.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../test/helpers/subscribe.js';
import { TASK_EVENTS } from './lib/records.js';
import { type BenchSection, isMain, kib, ms, table } from './lib/report.js';
import { startSimProcess } from './lib/sim-process.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface SoakOptions {
  clients?: number;
  durationMs?: number;
  /** Share of clients that drop their connections abruptly. @default 0.2 */
  rudeShare?: number;
  log?: (line: string) => void;
}

const USERS = ['admin', 'reader', 'alpha-admin', 'beta-admin'];
const QUERIES = [
  '{ deployments { name releases { version release { name } } stemcells { operatingSystem deployments { name } } } }',
  '{ tasks(limit: 10) { id state description deployment { name } } }',
  '{ deployment(name: "cf") { vms { job index details { jobState vitals { load } } } } }',
  '{ director { name } }',
];
const RUNNING = 'subscription { runningTasks { id state description } }';

/** A small seeded generator (mulberry32), so runs are comparable. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  ops: Record<string, number>;
  unexpected: string[];
  latencies: number[];
}

/** One GraphQL POST over its own connection; a rude client destroys it after `dropAfterMs`. */
async function post(
  url: string,
  payload: unknown,
  authorization: string,
  dropAfterMs?: number,
): Promise<{ status: number; text: string } | 'dropped'> {
  const answer = await rawPost(url, payload, {
    headers: { authorization },
    ...(dropAfterMs === undefined ? {} : { abortAfterMs: dropAfterMs }),
  });
  return answer === 'aborted' ? 'dropped' : { status: answer.status, text: answer.body };
}

function errorsOf(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] };
    return (parsed.errors ?? []).map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`);
  } catch {
    return [`unreadable answer: ${text.slice(0, 80)}`];
  }
}

async function client(
  id: number,
  url: string,
  basic: (user: string) => string,
  running: () => number[],
  rude: boolean,
  until: number,
  tally: Tally,
): Promise<void> {
  const random = generator(1000 + id);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const auth = basic(pick(USERS));
  const admin = basic('admin');
  const count = (kind: string) => {
    tally.ops[kind] = (tally.ops[kind] ?? 0) + 1;
  };
  while (Date.now() < until) {
    const roll = random();
    const drop = rude ? Math.floor(random() * 40) : undefined;
    if (roll < 0.4) {
      const query = pick(QUERIES);
      const started = performance.now();
      const reply = await post(url, { query }, auth, drop);
      count(rude ? 'query (dropped)' : 'query');
      if (reply === 'dropped') {
        if (!rude) tally.unexpected.push('a query failed at the transport');
        continue;
      }
      tally.latencies.push(performance.now() - started);
      // Team users may be refused the cf deployment's VMs: that is the Director's answer.
      const errors = errorsOf(reply.text).filter((e) => !e.startsWith('FORBIDDEN'));
      tally.unexpected.push(...errors);
    } else if (roll < 0.9) {
      const tasks = running();
      const sse = random() < 0.5;
      const onTask = tasks.length > 0 && random() < 0.7;
      const query = onTask ? TASK_EVENTS : RUNNING;
      const variables = onTask ? { id: String(pick(tasks)) } : {};
      // Subscribe as admin to tasks (team users may not read every task), as anyone to the list.
      const sub: TestSubscription = (sse ? subscribeSse : subscribeWs)(
        url,
        query,
        variables,
        onTask ? admin : auth,
      );
      count(
        `${sse ? 'SSE' : 'WebSocket'} ${onTask ? 'taskEvents' : 'runningTasks'}${rude ? ' (dropped)' : ''}`,
      );
      await Promise.race([sub.done, sleep(rude ? (drop ?? 0) * 10 : 200 + random() * 2800)]);
      if (rude) sub.kill();
      else sub.close();
      for (const result of sub.results) {
        for (const e of result.errors ?? [])
          tally.unexpected.push(`${String(e.extensions?.code)}: ${e.message}`);
      }
    } else {
      const name = `soak-${Math.floor(random() * 10)}`;
      const body = {
        query: 'mutation($m: String!) { deploy(manifest: $m) { id } }',
        variables: { m: deployManifest(name, 2, 2) },
      };
      const reply = await post(url, body, admin, drop);
      count(rude ? 'deploy (dropped)' : 'deploy');
      if (reply === 'dropped') {
        if (!rude) tally.unexpected.push('a deploy failed at the transport');
        continue;
      }
      tally.unexpected.push(...errorsOf(reply.text));
    }
  }
}

export async function runSoak(options: SoakOptions = {}): Promise<BenchSection> {
  const clients = options.clients ?? 200;
  const durationMs = options.durationMs ?? 60_000;
  const rudeShare = options.rudeShare ?? 0.2;
  const log = options.log ?? (() => undefined);
  const sim = await startSimProcess(100);
  const runtime = createGatewayRuntime({
    director: { url: sim.url, client: 'admin', clientSecret: 'admin' },
    graphiql: false,
    // Every client follows tasks with admin's credentials, and up to 20 tasks are queued at once
    // while subscriptions last up to 3 s: admin alone then watches more than the default 50
    // distinct tasks, which TOO_MANY_SUBSCRIPTIONS rightly refuses. That cap guards against one
    // user flooding the Director; here it would only measure the benchmark's own mix.
    stream: { maxPollersPerCaller: 1000 },
  });
  const url = await runtime.gateway.listen(0, '127.0.0.1');
  const basic = (user: string) => `Basic ${Buffer.from(`${user}:${user}`).toString('base64')}`;
  const problems: string[] = [];
  try {
    // Warm up every path (queries, a deploy, both subscription transports, a rude client) with a
    // short round of the same mix, so the start already holds what loads once (modules, caches,
    // pooled connections); then measure the heap from a collected start.
    const warm: Tally = { ops: {}, unexpected: [], latencies: [] };
    const warmUntil = Date.now() + 3_000;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => client(10_000 + i, url, basic, () => [], i < 2, warmUntil, warm)),
    );
    await sleep(1_000);
    gc();
    const heapStart = process.memoryUsage().heapUsed;
    if (process.env.SOAK_SNAPSHOTS)
      (await import('node:v8')).writeHeapSnapshot(`${process.env.SOAK_SNAPSHOTS}/start.heapsnapshot`);
    await sim.resetRequests();

    // The running deploys subscribers pick from, refreshed by the gateway itself.
    let running: number[] = [];
    const refresh = setInterval(() => {
      void post(
        url,
        { query: '{ tasks(limit: 20, states: [QUEUED, PROCESSING]) { id } }' },
        basic('admin'),
      ).then((reply) => {
        if (reply === 'dropped') return;
        const ids = (JSON.parse(reply.text) as { data?: { tasks?: { id: string }[] } }).data?.tasks;
        if (ids) running = ids.map((t) => Number(t.id));
      });
    }, 500);

    log(`soak: ${clients} clients for ${durationMs / 1000} s...`);
    const tally: Tally = { ops: {}, unexpected: [], latencies: [] };
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const until = Date.now() + durationMs;
    const rudeCount = Math.round(clients * rudeShare);
    await Promise.all(
      Array.from({ length: clients }, (_, i) =>
        client(i, url, basic, () => running, i < rudeCount, until, tally),
      ),
    );
    clearInterval(refresh);
    const wallMs = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);

    // Every client has gone: wait for rest (not a timing claim: the gauges must reach 0).
    const atRest = () => {
      const stats = runtime.streams.stats();
      const queue = runtime.client.queueStats;
      return { ...stats, inFlight: queue.inFlight, waiting: queue.waiting };
    };
    const restDeadline = Date.now() + 15_000;
    while (Date.now() < restDeadline) {
      const now = atRest();
      if (now.subscriptions + now.taskPollers + now.runningTasksPollers + now.inFlight + now.waiting === 0)
        break;
      await sleep(50);
    }
    const rest = atRest();
    await sleep(1_000);
    gc();
    const heapEnd = process.memoryUsage().heapUsed;
    if (process.env.SOAK_SNAPSHOTS)
      (await import('node:v8')).writeHeapSnapshot(`${process.env.SOAK_SNAPSHOTS}/end.heapsnapshot`);
    const director = await sim.requests();

    const opsRows = Object.entries(tally.ops)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => [kind, n]);
    const latencies = [...tally.latencies].sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
    const heapChange = (heapEnd - heapStart) / heapStart;
    const cpuShare = (cpu.user + cpu.system) / 1000 / wallMs;
    const unexpected = [...new Set(tally.unexpected)];
    if (tally.unexpected.length > 0) {
      problems.push(
        `soak: ${tally.unexpected.length} unexpected errors, e.g. ${unexpected.slice(0, 3).join(' | ')}`,
      );
    }
    if (rest.subscriptions + rest.taskPollers + rest.runningTasksPollers > 0) {
      problems.push(`soak: gauges not at 0 after the clients left: ${JSON.stringify(rest)}`);
    }
    if (heapChange > 0.1)
      problems.push(`soak: heap grew ${(heapChange * 100).toFixed(1)} % (goal: within 10 %)`);

    const markdown = [
      `${clients} clients for ${durationMs / 1000} s, ${rudeCount} of them dropping their connections abruptly;`,
      'the simulated Director (tick 100 ms) runs in a process of its own. Goals: no unexpected error, both',
      'gauges at 0 once the clients left, heap after GC within 10 % of the start.',
      '',
      table(['operation', 'count'], opsRows),
      '',
      table(
        ['measure', 'value', 'goal'],
        [
          ['unexpected errors', tally.unexpected.length, '0'],
          ['subscriptions after the clients left', rest.subscriptions, '0'],
          ['task pollers after the clients left', rest.taskPollers, '0'],
          ['runningTasks pollers after the clients left', rest.runningTasksPollers, '0'],
          ['Director calls in flight or queued after', rest.inFlight + rest.waiting, '0'],
          ['heap after GC, start', kib(heapStart), ''],
          ['heap after GC, end', kib(heapEnd), ''],
          ['heap change', `${(heapChange * 100).toFixed(1)} %`, 'within 10 %'],
          ['query latency p50 / p95', `${ms(pct(0.5))} / ${ms(pct(0.95))}`, ''],
          ['Director calls in all', director.count, ''],
          ['gateway process CPU (clients included)', `${(cpuShare * 100).toFixed(0)} % of one core`, ''],
        ],
      ),
      '',
      cpuShare > 1.6
        ? 'The benchmark process (gateway and clients) used most of both cores: it was CPU-bound, so latencies are inflated.'
        : 'The benchmark process was not CPU-bound.',
    ].join('\n');
    return { title: 'Soak: 200 clients, 60 s, 20 % abrupt', markdown, problems };
  } finally {
    await runtime.close();
    await sim.stop();
  }
}

if (isMain(import.meta.url)) {
  const section = await runSoak({ log: (line) => console.error(line) });
  console.log(`## ${section.title}\n\n${section.markdown}\n`);
  for (const problem of section.problems) console.error(`PROBLEM: ${problem}`);
  if (section.problems.length > 0) process.exitCode = 1;
}
