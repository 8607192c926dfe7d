/**
 * The gateway against a hand-written undici aggregator (bench/lib/aggregator-child.ts) on the same
 * simulated Director, for three documents: the deployments page, the VMs of every deployment and
 * `{ __typename }`. Three processes (Director, gateway, aggregator), one closed-loop load client
 * (this process). Before any load, both servers' answers are compared byte for byte.
 *
 * Cells (shape × concurrency × server) are interleaved: each repeat runs every cell once, gateway
 * and aggregator back to back, in alternating order. Each figure is the median over the repeats;
 * each ratio is the median of the per-repeat ratios (the two sides of a ratio ran seconds apart).
 *
 *   npx tsx bench/aggregator.ts            # or: npm run bench -- --only aggregator
 *   BENCH_SECONDS=1 BENCH_REPEATS=1 npx tsx bench/aggregator.ts   # a quick look
 *   BENCH_GATEWAY_NODE_ARGS=--cpu-prof npx tsx bench/aggregator.ts  # profile the gateway
 *   BENCH_SHAPES=page,trivial npx tsx bench/aggregator.ts           # some shapes only
 *   BENCH_BASELINE_DIST=<dir> npx tsx bench/aggregator.ts  # also an earlier build, interleaved
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { SHAPE_LABELS, SHAPES, type Shape } from './lib/aggregator-shapes.js';
import { closedLoop, percentile } from './lib/closed-loop.js';
import { type BenchSection, isMain, median, ratio, table } from './lib/report.js';
import { type ServerProcess, startServerProcess } from './lib/server-process.js';
import { startSimProcess } from './lib/sim-process.js';

/** `baseline`: another build of the gateway (`BENCH_BASELINE_DIST`), to measure a change. */
type Side = 'gateway' | 'aggregator' | 'baseline';
const ALL_SHAPES = Object.keys(SHAPES) as Shape[];
const RUN_SHAPES = process.env.BENCH_SHAPES
  ? ALL_SHAPES.filter((s) => process.env.BENCH_SHAPES?.split(',').includes(s))
  : ALL_SHAPES;
const CONCURRENCY = [1, 32] as const;
const AUTH = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json', authorization: AUTH };

interface Sample {
  rps: number;
  p50: number;
  p95: number;
  cpuPerRequest: number;
  /** The server's CPU time over the wall time, in cores. */
  cores: number;
  /** The machine's busy fraction over all cores, while the cell ran. */
  machine: number;
  calls: number;
  failures: number;
}

function machineTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    busy += all - t.idle;
    total += all;
  }
  return { busy, total };
}

export interface AggregatorOptions {
  seconds?: number;
  repeats?: number;
  log?: (line: string) => void;
}

export async function runAggregator(options: AggregatorOptions = {}): Promise<BenchSection> {
  const seconds = options.seconds ?? Number(process.env.BENCH_SECONDS ?? 3);
  const repeats = options.repeats ?? Number(process.env.BENCH_REPEATS ?? 3);
  const log = options.log ?? (() => undefined);
  const problems: string[] = [];
  // The gateway runs compiled, as `bosh-graphql serve` does.
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const sim = await startSimProcess(100);
  const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const baselineDist = process.env.BENCH_BASELINE_DIST;
  const sides: Side[] = baselineDist ? ['baseline', 'gateway', 'aggregator'] : ['gateway', 'aggregator'];
  const servers: Partial<Record<Side, ServerProcess>> = {
    ...(baselineDist
      ? {
          baseline: await startServerProcess('./bench-gateway-child.mjs', [sim.url, baselineDist], {
            tsx: false,
            env: { NODE_ENV: 'production' },
          }),
        }
      : {}),
    gateway: await startServerProcess('./bench-gateway-child.mjs', [sim.url], {
      nodeArgs,
      tsx: false,
      env: { NODE_ENV: 'production' },
    }),
    aggregator: await startServerProcess('./aggregator-child.ts', [sim.url], {
      env: { NODE_ENV: 'production' },
    }),
  };
  const server = (side: Side) => servers[side] as ServerProcess;
  const samples = new Map<string, Sample[]>();
  const key = (shape: Shape, c: number, side: Side) => `${shape}/${c}/${side}`;
  try {
    const expected = {} as Record<Shape, string>;
    for (const shape of RUN_SHAPES) {
      const body = JSON.stringify({ query: SHAPES[shape] });
      const answers = await Promise.all(
        sides.map(async (side) => {
          const response = await fetch(server(side).url, { method: 'POST', headers: HEADERS, body });
          return { status: response.status, text: await response.text() };
        }),
      );
      const gateway = answers[sides.indexOf('gateway')]!;
      if (answers.some((a) => a.status !== 200 || a.text !== gateway.text)) {
        problems.push(
          `aggregator: ${SHAPE_LABELS[shape]}: the answers differ (${gateway.status}: ${gateway.text.slice(0, 200)})`,
        );
      }
      expected[shape] = gateway.text;
    }
    const cell = async (shape: Shape, c: number, side: Side, durationMs: number) => {
      await sim.resetRequests();
      const m0 = machineTimes();
      const cpu0 = await server(side).cpuMs();
      const load = await closedLoop({
        url: server(side).url,
        body: JSON.stringify({ query: SHAPES[shape] }),
        headers: HEADERS,
        expected: expected[shape],
        concurrency: c,
        durationMs,
      });
      const cpu = (await server(side).cpuMs()) - cpu0;
      const m1 = machineTimes();
      const calls = (await sim.requests()).count;
      return {
        rps: (load.requests / load.wallMs) * 1000,
        p50: percentile(load.latencies, 50),
        p95: percentile(load.latencies, 95),
        cpuPerRequest: cpu / Math.max(1, load.requests),
        cores: cpu / load.wallMs,
        machine: (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total),
        calls: calls / Math.max(1, load.requests),
        failures: load.failures,
      } satisfies Sample;
    };
    // Warm-up: JIT, connections, caches of both servers, on every cell once.
    for (const shape of RUN_SHAPES)
      for (const c of CONCURRENCY) for (const side of sides) await cell(shape, c, side, 700);
    for (let r = 0; r < repeats; r++) {
      for (const shape of RUN_SHAPES) {
        for (const c of CONCURRENCY) {
          const order = r % 2 === 0 ? sides : [...sides].reverse();
          for (const side of order) {
            const s = await cell(shape, c, side, seconds * 1000);
            if (s.failures > 0)
              problems.push(`aggregator: ${side} ${shape} c=${c}: ${s.failures} failed or different answers`);
            samples.set(key(shape, c, side), [...(samples.get(key(shape, c, side)) ?? []), s]);
            log(
              `aggregator r${r + 1} ${shape} c=${c} ${side}: ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(2)} ms, ` +
                `${s.cpuPerRequest.toFixed(2)} ms CPU/req, ${s.calls.toFixed(2)} calls/req, machine ${(s.machine * 100).toFixed(0)} %`,
            );
          }
        }
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    await sim.stop();
  }
  return {
    title: 'Gateway against a hand-written aggregator',
    markdown: [
      render(samples, key, seconds, repeats),
      ...(baselineDist ? ['', changeTable(samples, key)] : []),
    ].join('\n'),
    problems,
  };
}

function render(
  samples: Map<string, Sample[]>,
  key: (shape: Shape, c: number, side: Side) => string,
  seconds: number,
  repeats: number,
): string {
  const rows: string[][] = [];
  const cpuRows: string[][] = [];
  for (const shape of RUN_SHAPES) {
    for (const c of CONCURRENCY) {
      const g = samples.get(key(shape, c, 'gateway')) ?? [];
      const a = samples.get(key(shape, c, 'aggregator')) ?? [];
      const med = (list: Sample[], f: (s: Sample) => number) => median(list.map(f));
      const paired = (f: (g: Sample, a: Sample) => number) => median(g.map((s, i) => f(s, a[i]!)));
      const label = `${SHAPE_LABELS[shape]}, c=${c}`;
      rows.push([
        label,
        med(g, (s) => s.rps).toFixed(0),
        med(a, (s) => s.rps).toFixed(0),
        ratio(
          paired((x, y) => x.rps / y.rps),
          1,
        ),
        `${med(g, (s) => s.p50).toFixed(2)} / ${med(a, (s) => s.p50).toFixed(2)}`,
        `${paired((x, y) => x.p50 - y.p50) >= 0 ? '+' : ''}${paired((x, y) => x.p50 - y.p50).toFixed(2)}`,
        `${med(g, (s) => s.p95).toFixed(2)} / ${med(a, (s) => s.p95).toFixed(2)}`,
      ]);
      const starved = [...g, ...a].some((s) => s.machine >= 0.9);
      cpuRows.push([
        label,
        med(g, (s) => s.cpuPerRequest).toFixed(3),
        med(a, (s) => s.cpuPerRequest).toFixed(3),
        ratio(
          paired((x, y) => x.cpuPerRequest / y.cpuPerRequest),
          1,
        ),
        `${med(g, (s) => s.cores).toFixed(2)} / ${med(a, (s) => s.cores).toFixed(2)}`,
        `${(med(g, (s) => s.machine) * 100).toFixed(0)} / ${(med(a, (s) => s.machine) * 100).toFixed(0)} %${starved ? ' (starved)' : ''}`,
        `${med(g, (s) => s.calls).toFixed(2)} / ${med(a, (s) => s.calls).toFixed(2)}`,
      ]);
    }
  }
  return [
    `Closed loop, ${repeats} interleaved repeats of ${seconds} s per cell; medians, ratios gateway ÷ aggregator ` +
      'per repeat, then their median. Answers are byte-identical (checked before the load, and every answer ' +
      'during it against the first).',
    '',
    table(
      [
        'shape',
        'gateway req/s',
        'aggregator req/s',
        'req/s ratio',
        'p50 ms (g / a)',
        'p50 overhead ms',
        'p95 ms (g / a)',
      ],
      rows,
    ),
    '',
    table(
      [
        'shape',
        'gateway CPU ms/req',
        'aggregator CPU ms/req',
        'CPU ratio',
        'cores used (g / a)',
        'machine busy (g / a)',
        'Director calls/req (g / a)',
      ],
      cpuRows,
    ),
    '',
    "_Cores used_ is the server process's CPU time over the wall time. _Machine busy_ is all cores' busy " +
      'fraction while the cell ran (the load client, the Director and the other server included); at 90 % or ' +
      "more in any repeat the cell is marked _starved_: its req/s and latencies are the shared machine's, not the server's. " +
      'CPU per request is the steadier figure then.',
  ].join('\n');
}

/** The baseline build's ratios beside this build's, each against the aggregator of its repeat. */
function changeTable(
  samples: Map<string, Sample[]>,
  key: (shape: Shape, c: number, side: Side) => string,
): string {
  const rows: string[][] = [];
  for (const shape of RUN_SHAPES) {
    for (const c of CONCURRENCY) {
      const a = samples.get(key(shape, c, 'aggregator')) ?? [];
      const against = (side: Side, f: (g: Sample, a: Sample) => number) =>
        median((samples.get(key(shape, c, side)) ?? []).map((s, i) => f(s, a[i]!)));
      const pair = (f: (g: Sample, a: Sample) => number, digits: number) =>
        `${against('baseline', f).toFixed(digits)} → ${against('gateway', f).toFixed(digits)}`;
      rows.push([
        `${SHAPE_LABELS[shape]}, c=${c}`,
        pair((x, y) => x.rps / y.rps, 2),
        pair((x, y) => x.p50 - y.p50, 2),
        pair((x, y) => x.cpuPerRequest / y.cpuPerRequest, 2),
        `${median((samples.get(key(shape, c, 'baseline')) ?? []).map((s) => s.cpuPerRequest)).toFixed(3)} → ${median((samples.get(key(shape, c, 'gateway')) ?? []).map((s) => s.cpuPerRequest)).toFixed(3)}`,
      ]);
    }
  }
  return [
    'Before → after: the baseline build and this one, interleaved in the same repeats, each against the aggregator.',
    '',
    table(['shape', 'req/s ratio', 'p50 overhead ms', 'CPU ratio', 'gateway CPU ms/req'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const section = await runAggregator({ log: (line) => console.error(line) });
  console.log(section.markdown);
  for (const p of section.problems) console.error(`PROBLEM: ${p}`);
}
