/**
 * Fan-out: N subscribers (half SSE, half WebSocket, each on its own connection) follow one long
 * deploy at the default poll interval (500 ms). The gateway and the simulated Director each run
 * in a process of their own; the clients run here.
 *
 * Two variants, side by side for each N in 100, 500, 1000:
 * - `shared`: every subscriber sends the same document, variables and credentials, so one
 *   execution serves them all (docs/task-stream.md section 11);
 * - `per subscriber`: each subscriber's document differs by a comment, so each gets an execution
 *   of its own: each record executed and serialized once per subscriber, as before sharing.
 *
 * Measured: write-to-receipt latency of every record at every subscriber (p50, p95; the
 * simulator notes when each record was written, on the machine's one clock), poll rounds reached
 * against those planned, Director calls per round, the gateway's CPU while the deploy runs and
 * per idle round, and the gateway's heap per idle subscriber (after a full GC, with the N
 * subscribers connected and nothing happening, against the same with none).
 */
import { type BenchSection, isMain, kib, ms, table } from './lib/report.js';
import { child, percentile, type Received, sse, ws } from './lib/timed-clients.js';

const INTERVAL_MS = 500;
const IDLE_MS = 5_000;
const QUERY = 'subscription($id: ID!) { taskEvents(id: $id) { __typename cursor time } }';

interface Row {
  variant: string;
  n: number;
  p50: number;
  p95: number;
  /** Latency to the first subscriber that received each record. */
  firstP50: number;
  firstP95: number;
  complete: number;
  rounds: number;
  planned: number;
  callsPerRound: number;
  cpuBusy: number;
  idleCpuPerRound: number;
  heapPerSubscriber: number;
  clientCpu: number;
}

export async function measure(
  variant: 'shared' | 'per subscriber',
  n: number,
  log: (line: string) => void,
  transports: 'both' | 'sse' | 'ws' = 'both',
): Promise<Row> {
  const { child: director, ready: sim } = await child('./lib/timed-sim-child.ts');
  const { child: gateway, ready: gw } = await child('./lib/fanout-gateway-child.ts', [sim.url]);
  try {
    type Stats = { cpu: NodeJS.CpuUsage; heap: number; fanout: { clients: number } };
    const snapshots = process.env.FANOUT_SNAPSHOTS;
    const stats = (collect = false, snapshot?: string) =>
      gateway.ask<Stats>(
        {
          kind: 'stats',
          collect,
          ...(snapshots && snapshot
            ? { snapshot: `${snapshots}/${variant.replace(' ', '-')}-${n}-${snapshot}.heapsnapshot` }
            : {}),
        },
        'stats',
      );
    const { taskId } = await director.ask<{ taskId: number }>(
      { kind: 'start', name: 'fanout', groups: 4, instances: 3 },
      'started',
    );
    // Warm the gateway's code paths first (both transports, a query), so that the heap compared
    // below holds subscribers, not code compiled on first use.
    const warm: Received = { records: [], completed: false };
    const warmAuth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    const warming = [
      sse(gw.url, `${QUERY}\n# warm`, { id: String(taskId) }, warmAuth, warm),
      ws(gw.url, `${QUERY}\n# warm ws`, { id: String(taskId) }, warmAuth, warm),
    ];
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    void warming;
    const empty = await stats(true, 'empty');
    const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    const received: Received[] = [];
    const done: Promise<void>[] = [];
    for (let i = 0; i < n; i++) {
      const out: Received = { records: [], completed: false };
      received.push(out);
      const query = variant === 'shared' ? QUERY : `${QUERY}\n# ${i}`;
      const useSse = transports === 'both' ? i % 2 === 0 : transports === 'sse';
      done.push((useSse ? sse : ws)(gw.url, query, { id: String(taskId) }, auth, out));
    }
    for (;;) {
      if ((await stats()).fanout.clients >= n + warming.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Idle: connected and settled, nothing written. Rounds go on (the state is read), records do not.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleStart = await stats(true, 'idle');
    const idleCalls = await director.ask<{ task: number }>({ kind: 'requests' }, 'requests');
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idleEnd = await stats(true);
    const idleCallsEnd = await director.ask<{ task: number }>({ kind: 'requests' }, 'requests');
    const idleRounds = Math.max(1, idleCallsEnd.task - idleCalls.task);
    const idleCpu =
      (idleEnd.cpu.user + idleEnd.cpu.system - idleStart.cpu.user - idleStart.cpu.system) / 1000;

    const before = await director.ask<{ task: number; output: number }>({ kind: 'requests' }, 'requests');
    const busyStart = await stats();
    const clientCpuStart = process.cpuUsage();
    const started = Date.now();
    director.process.send({ kind: 'run' });
    await Promise.all(done);
    const wall = Date.now() - started;
    const busyEnd = await stats();
    const clientCpu = process.cpuUsage(clientCpuStart);
    const after = await director.ask<{ task: number; output: number }>({ kind: 'requests' }, 'requests');
    const { writes } = await director.ask<{ writes: [number, number][] }>({ kind: 'writes' }, 'writes');

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
    const latencies = received
      .flatMap((r) => r.records.map(([end, at]) => at - writtenAt(end)))
      .sort((a, b) => a - b);
    // The first receipt of each record: the part of the latency that is not fan-out.
    const first = new Map<number, number>();
    for (const r of received)
      for (const [end, at] of r.records) first.set(end, Math.min(first.get(end) ?? at, at));
    const firsts = [...first].map(([end, at]) => at - writtenAt(end)).sort((a, b) => a - b);
    const rounds = after.output - before.output;
    const busyCpu =
      (busyEnd.cpu.user + busyEnd.cpu.system - busyStart.cpu.user - busyStart.cpu.system) / 1000;
    const row: Row = {
      variant,
      n,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      firstP50: percentile(firsts, 0.5),
      firstP95: percentile(firsts, 0.95),
      complete: received.filter((r) => r.completed).length,
      rounds,
      planned: Math.round(wall / INTERVAL_MS),
      callsPerRound: (after.task + after.output - before.task - before.output) / Math.max(1, rounds),
      cpuBusy: busyCpu / wall,
      idleCpuPerRound: idleCpu / idleRounds,
      heapPerSubscriber: (idleStart.heap - empty.heap) / n,
      clientCpu: (clientCpu.user + clientCpu.system) / 1000 / wall,
    };
    log(
      `fanout: ${variant} N=${n}: p50 ${row.p50} ms, p95 ${row.p95} ms, ${row.rounds}/${row.planned} rounds, ` +
        `gateway CPU ${(row.cpuBusy * 100).toFixed(0)} %, heap/subscriber ${kib(row.heapPerSubscriber)}`,
    );
    return row;
  } finally {
    gateway.process.send({ kind: 'stop' });
    director.process.send({ kind: 'stop' });
    await Promise.all([
      new Promise((resolve) => gateway.process.once('exit', resolve)),
      new Promise((resolve) => director.process.once('exit', resolve)),
    ]);
  }
}

export interface FanoutOptions {
  sizes?: number[];
  log?: (line: string) => void;
}

export async function runFanout(options: FanoutOptions = {}): Promise<BenchSection> {
  const log = options.log ?? (() => undefined);
  const rows: Row[] = [];
  for (const n of options.sizes ?? [100, 500, 1000]) {
    rows.push(await measure('shared', n, log));
    rows.push(await measure('per subscriber', n, log));
  }
  const problems: string[] = [];
  for (const row of rows) {
    if (row.complete < row.n)
      problems.push(`fanout ${row.variant} N=${row.n}: only ${row.complete} subscribers completed`);
  }
  const markdown = [
    `One deploy (4 instance groups of 3), polled every ${INTERVAL_MS} ms (plus up to 10 % jitter); half the`,
    'subscribers on SSE, half on WebSocket, one connection each. Latency: from the simulator writing a record to a',
    'subscriber receiving it. Goals at N=1000: p95 at most the interval + 100 ms (600 ms), 2 Director calls per',
    'round, idle CPU independent of N, at most 20 KiB of heap per idle subscriber.',
    '',
    table(
      [
        'variant',
        'N',
        'p50',
        'p95',
        'first p50 / p95',
        'rounds / planned',
        'calls / round',
        'gateway CPU (deploy)',
        'idle CPU / round',
        'heap / idle subscriber',
        'clients CPU',
      ],
      rows.map((r) => [
        r.variant,
        r.n,
        ms(r.p50),
        ms(r.p95),
        `${ms(r.firstP50)} / ${ms(r.firstP95)}`,
        `${r.rounds} / ${r.planned}`,
        r.callsPerRound.toFixed(2),
        `${(r.cpuBusy * 100).toFixed(0)} %`,
        `${r.idleCpuPerRound.toFixed(1)} ms`,
        kib(Math.round(r.heapPerSubscriber)),
        `${(r.clientCpu * 100).toFixed(0)} %`,
      ]),
    ),
    '',
    '"first": the latency to the first subscriber that received each record, without the fan-out. ' +
      'CPU is a share of one core: the gateway process alone, and the benchmark process that runs every client. ' +
      'A clients figure near 100 % means the clients, not the gateway, were CPU-starved, and latencies include their queueing.',
  ].join('\n');
  return { title: 'Fan-out: 100 to 1000 subscribers of one deploy', markdown, problems };
}

if (isMain(import.meta.url)) {
  const sizes = process.argv.includes('--quick') ? [100] : undefined;
  const section = await runFanout({ log: (line) => console.error(line), ...(sizes ? { sizes } : {}) });
  console.log(`## ${section.title}\n\n${section.markdown}\n`);
  for (const problem of section.problems) console.error(`PROBLEM: ${problem}`);
}
