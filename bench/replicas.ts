/**
 * Replicas: 3 gateway replicas, each a process of its own, share their task pollers through Redis
 * (docs/task-stream.md section 13) in front of one simulated Director (a process too). 300
 * subscribers, spread over the replicas, half SSE and half WebSocket, each with its own execution
 * (so each makes its own authorization read), follow one long deploy at the default interval.
 * Mid-deploy the lease holder is killed with SIGKILL; its subscribers reconnect to the others
 * with their last cursor.
 *
 * Measured: Director task and output reads per round across the fleet, before and after the
 * kill; that every subscriber ends with the complete log, identical, in order; write-to-receipt
 * latency (p50, p95: the simulator notes when each record was written, on the machine's clock);
 * how long after the kill a new holder polls; CPU of each process.
 *
 * Needs a Redis: BOSH_GRAPHQL_BENCH_REDIS_URL, else redis://127.0.0.1:6379. Its keys are under a
 * prefix of its own, deleted at the end.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { encodeCursor } from '../src/stream/cursor.js';
import { type BenchSection, isMain, ms, table } from './lib/report.js';
import { type Child, child, percentile, type Received, sse, ws } from './lib/timed-clients.js';
import { runSingleProcess } from './replicas-baseline.js';

const INTERVAL_MS = 500;
const SUBSCRIBERS = Number(process.env.BOSH_GRAPHQL_BENCH_SUBSCRIBERS || 300);
const REPLICAS = 3;
const QUERY =
  'subscription($id: ID!, $after: String) { taskEvents(id: $id, after: $after) { __typename cursor time } }';

interface Stats {
  cpu: NodeJS.CpuUsage;
  leases: number;
  counters: { taken: number; fenced: number };
  mode: string;
  streams: { subscriptions: number };
  /** Client subscriptions, whether they share an execution or not. */
  clients: number;
}

interface Sub {
  replica: number;
  transport: 'sse' | 'ws';
  first: Received;
  resumed?: Received;
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `own`: a comment per subscriber, so an execution (and an authorization read) each. */
type Variant = 'shared' | 'own';

function subscribe(
  variant: Variant,
  url: string,
  i: number,
  taskId: number,
  auth: string,
  out: Received,
  after?: string,
) {
  const query = variant === 'shared' ? QUERY : `${QUERY}\n# subscriber ${i}`;
  const variables = after ? { id: String(taskId), after } : { id: String(taskId) };
  return i % 2 === 0 ? sse(url, query, variables, auth, out) : ws(url, query, variables, auth, out);
}

async function cleanPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

async function runOnce(variant: Variant, log: (line: string) => void): Promise<BenchSection> {
  const redisUrl = process.env.BOSH_GRAPHQL_BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `bosh-graphql-bench:${randomUUID().slice(0, 8)}:`;
  const problems: string[] = [];
  const { child: director, ready: sim } = await child('./lib/timed-sim-child.ts');
  const replicas: { child: Child; url: string; alive: boolean; cpu?: NodeJS.CpuUsage }[] = [];
  for (let r = 0; r < REPLICAS; r += 1) {
    const { child: proc, ready } = await child('./lib/replica-child.ts', [sim.url, redisUrl, prefix]);
    replicas.push({ child: proc, url: ready.url, alive: true });
  }
  const stats = (r: number) => replicas[r]!.child.ask<Stats>({ kind: 'stats' }, 'stats');
  const { taskId } = await director.ask<{ taskId: number }>(
    { kind: 'start', name: 'replicas', groups: 10, instances: 4 },
    'started',
  );
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  log(`replicas: ${SUBSCRIBERS} subscribers over ${REPLICAS} replica processes, task ${taskId}`);

  const subs: Sub[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 1) {
    const replica = i % REPLICAS;
    const first: Received = { records: [], completed: false };
    const sub: Sub = { replica, transport: i % 2 === 0 ? 'sse' : 'ws', first, done: Promise.resolve() };
    sub.done = subscribe(variant, replicas[replica]!.url, i, taskId, auth, first).then(async () => {
      if (first.completed) return;
      // Its replica died: reconnect to a live one with the last cursor received.
      while (!replicas.some((r) => r.alive)) await sleep(10);
      const live = replicas.findIndex((r, n) => r.alive && n !== replica);
      const last = first.records.at(-1)?.[0];
      const after = last === undefined ? undefined : encodeCursor({ taskId, type: 'event', offset: last });
      sub.resumed = { records: [], completed: false };
      await subscribe(variant, replicas[live]!.url, i, taskId, auth, sub.resumed, after);
    });
    subs.push(sub);
  }
  for (;;) {
    const counts = await Promise.all(replicas.map((_, r) => stats(r)));
    if (counts.reduce((n, s) => n + s.clients, 0) >= SUBSCRIBERS) break;
    await sleep(50);
  }
  const cpuBefore = await Promise.all(replicas.map((_, r) => stats(r).then((s) => s.cpu)));
  director.process.send({ kind: 'run' });
  const runAt = Date.now();
  log('replicas: all subscribed; the deploy runs');

  // Mid-deploy: kill the lease holder.
  await sleep(12_000);
  let holder = -1;
  while (holder < 0) {
    const now = await Promise.all(replicas.map((_, r) => stats(r)));
    holder = now.findIndex((s) => s.leases > 0);
    if (holder >= 0) replicas[holder]!.cpu = now[holder]!.cpu;
    else await sleep(20);
  }
  const killAt = Date.now();
  replicas[holder]!.alive = false;
  replicas[holder]!.child.process.kill('SIGKILL');
  let leaseTakenAt = 0;
  while (leaseTakenAt === 0) {
    const live = replicas.map((r, n) => (r.alive ? n : -1)).filter((n) => n >= 0);
    const now = await Promise.all(live.map((r) => stats(r)));
    if (now.some((s) => s.leases > 0)) leaseTakenAt = Date.now();
    else await sleep(10);
  }
  log(`replicas: killed replica ${holder}, the lease passed on after ${leaseTakenAt - killAt} ms`);

  await Promise.all(subs.map((s) => s.done));
  const endAt = Date.now();
  for (const [r, replica] of replicas.entries()) if (replica.alive) replica.cpu = (await stats(r)).cpu;
  // The reference: the whole log from the start, read after the deploy ended.
  const reference: Received = { records: [], completed: false };
  const live = replicas.findIndex((r) => r.alive);
  await subscribe(variant, replicas[live]!.url, SUBSCRIBERS + 1, taskId, auth, reference);
  const expected = reference.records.map(([offset]) => offset);

  const { writes } = await director.ask<{ writes: [number, number][] }>({ kind: 'writes' }, 'writes');
  const counters = await Promise.all(
    replicas.map((r, n) => (r.alive ? stats(n).then((x) => x.counters) : Promise.resolve(undefined))),
  );
  log(`replicas: leases taken and appends fenced off, per live replica: ${JSON.stringify(counters)}`);
  const dlog = await director.ask<{
    task: number[];
    output: number[];
    outputBytes: number;
    logBytes: number;
    taskBeforeRun: number;
    runAt: number;
  }>({ kind: 'log' }, 'log');
  // The first reads, made before the clock ran, are the subscribers' authorization reads.
  const pollerTaskReads = dlog.task.slice(dlog.taskBeforeRun);
  const writtenAt = (end: number) => {
    let lo = 0;
    let hi = writes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((writes[mid] as [number, number])[0] >= end) hi = mid;
      else lo = mid + 1;
    }
    return (writes[lo] as [number, number])[1];
  };

  // Completeness: every subscriber's records, across its reconnection, are the whole log.
  let complete = 0;
  for (const sub of subs) {
    const got = [...sub.first.records, ...(sub.resumed?.records ?? [])].map(([offset]) => offset);
    const ok = (sub.resumed ?? sub.first).completed && got.join(',') === expected.join(',');
    if (ok) complete += 1;
  }
  if (complete !== SUBSCRIBERS)
    problems.push(`replicas: ${SUBSCRIBERS - complete} subscribers lack records or got some twice`);
  if (expected.length === 0) problems.push('replicas: the reference subscriber got no records');

  // Latency of live delivery (records received by subscribers whose replica never died), apart
  // from the records written between the kill and the new holder's first poll.
  const firstPollAfterKill = dlog.output.find((t) => t > killAt) ?? killAt;
  const steady: number[] = [];
  const takeover: number[] = [];
  for (const sub of subs) {
    if (sub.replica === holder) continue;
    for (const [end, at] of sub.first.records) {
      const wrote = writtenAt(end);
      if (wrote < runAt) continue;
      (wrote >= killAt && wrote <= firstPollAfterKill ? takeover : steady).push(at - wrote);
    }
  }
  steady.sort((a, b) => a - b);
  takeover.sort((a, b) => a - b);

  // Director reads per round, in the run phase (authorization reads came before it).
  const rounds = (from: number, to: number) => (to - from) / (INTERVAL_MS * 1.05);
  const between = (times: number[], from: number, to: number) =>
    times.filter((t) => t >= from && t < to).length;
  const phases: [string, number, number][] = [
    ['before the kill', runAt, killAt],
    ['after the kill', firstPollAfterKill, endAt],
  ];
  // Two output reads less than half an interval apart: a round polled twice (a lease that moved).
  const doubled = dlog.output.filter(
    (t, n) => n > 0 && t > dlog.runAt && t - dlog.output[n - 1]! < INTERVAL_MS / 2,
  ).length;
  const readRows = phases.map(([name, from, to]) => [
    name,
    ms(to - from),
    Math.round(rounds(from, to)),
    between(pollerTaskReads, from, to),
    between(dlog.output, from, to),
    (between(pollerTaskReads, from, to) / rounds(from, to)).toFixed(2),
    (between(dlog.output, from, to) / rounds(from, to)).toFixed(2),
  ]);
  const cpuRows = replicas.map((r, n) => {
    const used = r.cpu ? (r.cpu.user + r.cpu.system - cpuBefore[n]!.user - cpuBefore[n]!.system) / 1000 : 0;
    return [
      `replica ${n}${n === holder ? ' (killed)' : ''}`,
      ms(used),
      ms((r.alive ? endAt : killAt) - runAt),
    ];
  });

  for (const [r, replica] of replicas.entries()) {
    if (replica.alive) replica.child.process.send({ kind: 'stop' });
    void r;
  }
  director.process.send({ kind: 'stop' });
  await cleanPrefix(redisUrl, prefix).catch(() => undefined);

  const markdown = [
    `### ${variant === 'shared' ? 'Shared executions' : 'One execution per subscriber'}`,
    '',
    `${REPLICAS} replica processes share their pollers through Redis; ${SUBSCRIBERS} subscribers (half SSE, half WebSocket, ${variant === 'shared' ? 'the same document, variables and credentials, so one execution per replica' : 'each document differing by a comment, so one execution and one authorization read each'}) follow one deploy of ${expected.length} records at the ${INTERVAL_MS} ms interval. Replica ${holder}, the lease holder, was killed with SIGKILL ${ms(killAt - runAt)} into the deploy.`,
    '',
    'Director reads of the task across the fleet (rounds: elapsed time over the interval plus its mean jitter; three replicas polling alone would make three of each per round):',
    '',
    table(
      [
        'phase',
        'elapsed',
        'rounds',
        'task reads',
        'output reads',
        'task reads / round',
        'output reads / round',
      ],
      readRows,
    ),
    '',
    `Output reads less than half an interval after the one before (a round read twice): ${doubled}. In the phase after the kill, the task reads include the reconnected subscribers' authorization reads.`,
    '',
    `Log: ${dlog.logBytes} bytes; the Director sent ${dlog.outputBytes} bytes of it in all (${(dlog.outputBytes / dlog.logBytes).toFixed(2)} times), resumed subscribers' catch-up included.`,
    '',
    table(
      ['measure', 'value'],
      [
        ['subscribers with the complete log, identical, in order', `${complete} of ${SUBSCRIBERS}`],
        [
          'of which reconnected to another replica with their cursor',
          String(subs.filter((s) => s.resumed).length),
        ],
        ['latency p50, live delivery', ms(percentile(steady, 0.5))],
        ['latency p95, live delivery', ms(percentile(steady, 0.95))],
        [
          'latency p95, records written during the takeover',
          takeover.length ? ms(percentile(takeover, 0.95)) : 'none',
        ],
        ['kill to lease taken by another replica', ms(leaseTakenAt - killAt)],
        ["kill to the new holder's first output read", ms(firstPollAfterKill - killAt)],
      ],
    ),
    '',
    'CPU of each replica from the start of the deploy (user + system):',
    '',
    table(['process', 'CPU', 'over'], cpuRows),
  ].join('\n');
  return { title: 'Replicas sharing pollers through Redis', markdown, problems };
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export async function runReplicas({ log }: { log: (line: string) => void }): Promise<BenchSection> {
  const url = process.env.BOSH_GRAPHQL_BENCH_REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(url))) {
    const problem = `replicas: no Redis answers at ${url} (set BOSH_GRAPHQL_BENCH_REDIS_URL, or start one)`;
    return {
      title: 'Replicas sharing pollers through Redis',
      markdown: `Not run: ${problem}.`,
      problems: [problem],
    };
  }
  const sections: BenchSection[] = [];
  const rows: (string | number)[][] = [];
  for (const variant of ['shared', 'own'] as const) {
    sections.push(await runOnce(variant, log));
    const one = await runSingleProcess(variant, SUBSCRIBERS, log);
    rows.push([
      variant === 'shared' ? 'shared executions' : 'one execution each',
      `${one.complete} of ${SUBSCRIBERS}`,
      one.taskPerRound.toFixed(2),
      one.outputPerRound.toFixed(2),
      ms(one.p50),
      ms(one.p95),
    ]);
  }
  const baseline = [
    '### Baseline: one process without Redis',
    '',
    `The same ${SUBSCRIBERS} subscribers and deploy on a single gateway process (no Redis, no kill), on the same machine:`,
    '',
    table(['variant', 'complete logs', 'task reads / round', 'output reads / round', 'p50', 'p95'], rows),
  ].join('\n');
  return {
    title: sections[0]!.title,
    markdown: [...sections.map((s) => s.markdown), baseline].join('\n\n'),
    problems: sections.flatMap((s) => s.problems),
  };
}

if (isMain(import.meta.url)) {
  const section = await runReplicas({ log: (line) => console.error(line) });
  console.log(section.markdown);
  for (const p of section.problems) console.error(`PROBLEM: ${p}`);
  process.exit(section.problems.length > 0 ? 1 : 0);
}
