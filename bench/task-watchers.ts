/**
 * N watchers of one running deploy: what the Director serves when N people follow the same task.
 *
 * - `bosh-cli (Range)`: N independent watchers, each doing what bosh-cli's `WaitForCompletion`
 *   does, with its own Director connection and its own offset: `GET /tasks/{id}`, then
 *   `GET /tasks/{id}/output?type=event` with `Range: bytes=<offset>-`, then sleep one interval;
 *   done after the first round that sees a terminal state.
 * - `whole log`: the same loop without Range: every round downloads the whole log again.
 * - `gateway`: N `taskEvents` subscribers of the gateway (half SSE, half WebSocket), which share
 *   the gateway's one poller for the task (docs/task-stream.md section 1).
 *
 * Each run gets a fresh simulated Director (same seed, same tick) and the same deploy, so the
 * Director writes the same log each time; every variant polls at the same interval (the gateway's
 * jitter is set to 0 so its interval is exactly the watchers'). The counts come from the
 * simulator's request log. Every watcher's records are compared, in order, with the log the
 * Director wrote.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DirectorApi } from '../src/director/api.js';
import { DirectorClient } from '../src/director/index.js';
import { TERMINAL_TASK_STATES } from '../src/director/types.js';
import { startSimulator } from '../src/simulator/index.js';
import { deployManifest } from '../test/helpers/manifests.js';
import { startBenchGateway } from './lib/gateway.js';
import { fingerprintRaw, sameSequence } from './lib/records.js';
import { type BenchSection, isMain, kib, ms, ratio, table } from './lib/report.js';
import { type SubscriberResult, subscribeSse, subscribeWs } from './lib/subscribers.js';

export interface TaskWatchersOptions {
  /** Numbers of watchers. @default [1, 10, 50, 200] */
  counts?: number[];
  /**
   * Poll interval of every variant, in ms: the gateway's default (and bosh-cli's), so that no
   * variant's counts come from a rate it would not poll at. @default 500
   */
  intervalMs?: number;
  /** Simulator tick (time between task steps), in ms. @default 100 */
  tickMs?: number;
  /** Deploy shape: instance groups × instances. @default 4 × 3 */
  groups?: number;
  instances?: number;
  /** A run that is not over after this long is stopped and reported as incomplete. @default 90000 */
  deadlineMs?: number;
  /** Progress lines (to stderr). */
  log?: (line: string) => void;
}

type Variant = 'bosh-cli (Range)' | 'whole log' | 'gateway';
const VARIANTS: readonly Variant[] = ['bosh-cli (Range)', 'whole log', 'gateway'];

interface Outcome {
  records: string[];
  errors: string[];
  /** bosh-cli watchers: rounds made (one task read and one output read each). */
  rounds?: number;
}

export interface WatchersRun {
  variant: Variant;
  n: number;
  taskReads: number;
  outputReads: number;
  /** Every Director call of the run (task reads, output reads and anything else). */
  calls: number;
  outputBytes: number;
  bytes: number;
  logBytes: number;
  logRecords: number;
  taskState: string;
  /** Watchers whose records equal the Director's log, in order. */
  complete: number;
  /** Records received by the watcher that got the fewest. */
  fewestRecords: number;
  /** How the incomplete ones differ. */
  incomplete: string[];
  /** Mean rounds per bosh-cli watcher; for the gateway, its poller's rounds. */
  rounds: number;
  wallMs: number;
  /** Gateway only: Director calls its pollers counted (its own metric), to account for every call. */
  pollerCalls?: number;
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/**
 * bosh-cli's `TaskClientRequest.WaitForCompletion` (director/task_client_request.go): read the
 * state, then the output past `offset` (416: nothing new), add the bytes received to `offset`,
 * stop after a round that saw a terminal state, otherwise sleep. The reporter gets whole lines;
 * a partial line waits in a buffer for its end.
 */
async function cliWatcher(
  api: DirectorApi,
  id: number,
  intervalMs: number,
  useRange: boolean,
  signal: AbortSignal,
): Promise<Outcome> {
  const out: Outcome = { records: [], errors: [], rounds: 0 };
  let offset = 0;
  let pending = EMPTY;
  try {
    for (;;) {
      if (signal.aborted) {
        out.errors.push('stopped at the deadline');
        break;
      }
      const task = await api.getTask(id);
      let fresh: Buffer;
      if (useRange) {
        const read = await api.readTaskOutput(id, 'event', offset);
        // 206: the bytes past offset; 200 (empty log, or Range ignored): the whole log.
        fresh = read.status === 206 ? read.body : read.status === 200 ? read.body.subarray(offset) : EMPTY;
      } else {
        // No Range header: the Director answers 200 with the whole log every time.
        const read = await api.readTaskOutput(id, 'event');
        fresh = read.body.subarray(Math.min(offset, read.body.length));
      }
      offset += fresh.length;
      if (fresh.length > 0) {
        const bytes = pending.length > 0 ? Buffer.concat([pending, fresh]) : fresh;
        const last = bytes.lastIndexOf(NEWLINE);
        for (const line of bytes.toString('utf8', 0, last + 1).split('\n')) {
          if (line !== '') out.records.push(fingerprintRaw(JSON.parse(line) as Record<string, unknown>));
        }
        pending = Buffer.from(bytes.subarray(last + 1));
      }
      out.rounds! += 1;
      if (TERMINAL_TASK_STATES.has(task.state)) break;
      await sleep(intervalMs, undefined, { signal }).catch(() => undefined);
    }
  } catch (error) {
    out.errors.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  if (pending.length > 0) out.errors.push(`${pending.length} bytes of an unterminated last line`);
  return out;
}

/** Resolves with the value, or with undefined once `limitMs` passed. */
async function within<T>(promise: Promise<T>, limitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), limitMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOnce(
  variant: Variant,
  n: number,
  options: Required<TaskWatchersOptions>,
): Promise<WatchersRun> {
  const sim = await startSimulator({ tickMs: options.tickMs });
  const auth = sim.basicAuth('admin');
  const runtime =
    variant === 'gateway'
      ? startBenchGateway(sim, { stream: { intervalMs: options.intervalMs, jitter: 0 } })
      : undefined;
  const clients: DirectorClient[] = [];
  const stop = new AbortController();
  // Every baseline watcher's sleep listens to it: 200 listeners are expected, not a leak.
  setMaxListeners(0, stop.signal);
  // GatewayRuntime.close() rejects when called a second time, so close it once.
  let closing: Promise<void> | undefined;
  const closeRuntime = () => {
    closing ??= runtime?.close() ?? Promise.resolve();
    return closing;
  };
  try {
    const url = runtime ? await runtime.gateway.listen(0, '127.0.0.1') : '';
    sim.requests.reset();
    const started = performance.now();
    const id = sim.tasks.startDeploy(deployManifest('watched', options.groups, options.instances));
    let watchers: Promise<Outcome>[];
    if (runtime) {
      watchers = Array.from({ length: n }, (_, i) =>
        (i % 2 === 0 ? subscribeSse : subscribeWs)(url, id, auth).then(fromSubscriber),
      );
    } else {
      watchers = Array.from({ length: n }, () => {
        // One client (one connection pool) per watcher: N separate bosh-cli processes.
        const client = new DirectorClient({ url: sim.url });
        clients.push(client);
        const useRange = variant === 'bosh-cli (Range)';
        return cliWatcher(client.forCaller(auth), id, options.intervalMs, useRange, stop.signal);
      });
    }
    let outcomes = await within(Promise.all(watchers), options.deadlineMs);
    const wallMs = performance.now() - started;
    if (!outcomes) {
      // Stop whatever is still waiting, then take what each watcher got.
      stop.abort();
      await closeRuntime();
      outcomes = await Promise.all(
        watchers.map(
          async (w) => (await within(w, 5_000)) ?? { records: [], errors: ['still running at the deadline'] },
        ),
      );
    }
    const task = await sim.tasks.wait(id);
    const expected = sim.tasks.events(id).map(fingerprintRaw);
    const taskPath = `/tasks/${id}`;
    const outputPath = `/tasks/${id}/output`;
    const incomplete: string[] = [];
    let complete = 0;
    outcomes.forEach((o, i) => {
      if (sameSequence(o.records, expected) && o.errors.length === 0) complete += 1;
      else
        incomplete.push(
          `watcher ${i}: ${o.records.length}/${expected.length} records${o.errors.length ? `, ${o.errors.join('; ')}` : ''}`,
        );
    });
    const outputReads = sim.requests.count({ method: 'GET', path: outputPath });
    const rounds = runtime
      ? outputReads
      : outcomes.reduce((sum, o) => sum + (o.rounds ?? 0), 0) / Math.max(1, outcomes.length);
    return {
      ...(runtime ? { pollerCalls: runtime.streams.stats().polls } : {}),
      variant,
      n,
      taskReads: sim.requests.count({ method: 'GET', path: taskPath }),
      outputReads,
      calls: sim.requests.count(),
      outputBytes: sim.requests.bytes({ method: 'GET', path: outputPath }),
      bytes: sim.requests.bytes(),
      logBytes: Buffer.byteLength(sim.tasks.eventOutput(id), 'utf8'),
      logRecords: expected.length,
      taskState: task.state,
      complete,
      fewestRecords: Math.min(...outcomes.map((o) => o.records.length)),
      incomplete,
      rounds,
      wallMs,
    };
  } finally {
    stop.abort();
    await closeRuntime();
    await Promise.all(clients.map((c) => c.close()));
    await sim.stop();
  }
}

function fromSubscriber(result: SubscriberResult): Outcome {
  return {
    records: result.records,
    errors: result.completed ? result.errors : [...result.errors, `${result.transport}: not completed`],
  };
}

export async function runTaskWatchers(
  opts: TaskWatchersOptions = {},
): Promise<BenchSection & { runs: WatchersRun[] }> {
  const options: Required<TaskWatchersOptions> = {
    counts: opts.counts ?? [1, 10, 50, 200],
    intervalMs: opts.intervalMs ?? 500,
    tickMs: opts.tickMs ?? 100,
    groups: opts.groups ?? 4,
    instances: opts.instances ?? 3,
    deadlineMs: opts.deadlineMs ?? 90_000,
    log: opts.log ?? (() => undefined),
  };
  const runs: WatchersRun[] = [];
  const problems: string[] = [];
  for (const n of options.counts) {
    for (const variant of VARIANTS) {
      const run = await runOnce(variant, n, options);
      runs.push(run);
      options.log(
        `task-watchers: N=${n} ${variant}: ${run.calls} calls, ${run.outputBytes} output bytes, ` +
          `${run.complete}/${n} complete, ${Math.round(run.wallMs)} ms`,
      );
      if (run.complete !== n) {
        problems.push(
          `task-watchers N=${n} ${variant}: ${n - run.complete} of ${n} watchers did NOT get the complete log ` +
            `(${run.logRecords} records): ${run.incomplete.slice(0, 3).join(' | ')}`,
        );
      }
      // Besides its poller's calls, the gateway makes the authorization reads: one per shared
      // execution (the N subscribers here send one document with one set of credentials, so they
      // share one, docs/task-stream.md section 11), plus any re-check that fell in the run.
      const ownReads = run.pollerCalls === undefined ? undefined : run.calls - run.pollerCalls;
      if (ownReads !== undefined && (ownReads < 1 || ownReads > n + 2))
        problems.push(
          `task-watchers N=${n} gateway: ${run.calls} Director calls, but its pollers made ${run.pollerCalls}: ` +
            `${ownReads} authorization reads, where 1 to ${n + 2} were expected`,
        );
      if (run.taskState !== 'done')
        problems.push(`task-watchers N=${n} ${variant}: the deploy ended ${run.taskState}`);
    }
  }

  const first = runs[0];
  const rows = runs.map((r) => [
    r.n,
    r.variant,
    r.calls,
    r.taskReads,
    r.outputReads,
    kib(r.outputBytes),
    ratio(r.outputBytes, r.logBytes),
    `${r.fewestRecords}/${r.logRecords}`,
    `${r.complete}/${r.n}${r.complete === r.n ? '' : ' **LOST RECORDS**'}`,
    r.variant === 'gateway' ? `${r.rounds} (shared)` : r.rounds.toFixed(1),
    `${Math.round((100 * r.rounds * options.intervalMs) / r.wallMs)} %`,
    ms(r.wallMs),
  ]);
  const byVariant = (n: number, v: Variant) => runs.find((r) => r.n === n && r.variant === v)!;
  const ratios = options.counts.map((n) => {
    const cli = byVariant(n, 'bosh-cli (Range)');
    const whole = byVariant(n, 'whole log');
    const gw = byVariant(n, 'gateway');
    return [
      n,
      ratio(cli.calls, gw.calls),
      ratio(cli.outputBytes, gw.outputBytes),
      ratio(whole.calls, gw.calls),
      ratio(whole.outputBytes, gw.outputBytes),
      ratio(whole.outputBytes, cli.outputBytes),
      ratio(gw.taskReads - (gw.calls - (gw.pollerCalls ?? gw.calls)), gw.outputReads),
    ];
  });
  const markdown = [
    `One deploy (${options.groups} instance groups × ${options.instances} instances, simulator tick ${options.tickMs} ms): ` +
      `its event log is ${first ? `${kib(first.logBytes)} in ${first.logRecords} records` : 'n/a'}, ` +
      `written over about ${first ? ms(first.wallMs) : 'n/a'}. Every variant polls every ${options.intervalMs} ms. ` +
      'A fresh simulated Director per row; counts from its request log.',
    '',
    table(
      [
        'N',
        'client',
        'Director calls',
        'GET /tasks/{id}',
        'GET …/output',
        'output bytes',
        'output ÷ log size',
        'fewest records / log',
        'complete logs',
        'rounds per watcher',
        'poll rate reached',
        'wall time',
      ],
      rows,
    ),
    '',
    table(
      [
        'N',
        'calls: bosh-cli ÷ gateway',
        'output bytes: bosh-cli ÷ gateway',
        'calls: whole log ÷ gateway',
        'output bytes: whole log ÷ gateway',
        'output bytes: whole log ÷ bosh-cli (what Range saves)',
        "gateway task reads per poll round (its poller's)",
      ],
      ratios,
    ),
    '',
    "- _fewest records / log_: the records received by the watcher that got the fewest, against the records in the Director's log.",
    "- _complete logs_: watchers whose records equal the Director's log, record for record, in order.",
    "- _rounds per watcher_: each bosh-cli watcher's rounds (a task read and an output read each); for the gateway, its single poller's rounds, shared by all N.",
    '- _poll rate reached_: rounds × interval ÷ wall time, i.e. how close a watcher came to one round per interval. ' +
      'Well below 100 % means the one process (simulator, watchers and gateway together on a 2-core box) was CPU-bound: ' +
      'the bosh-cli and whole-log watchers then made fewer rounds than N separate bosh-cli processes would, so their counts, ' +
      'and the ratios built on them, understate the baseline.',
    "- The gateway's `GET /tasks/{id}` count includes its authorization reads (docs/task-stream.md 1.1), on top of the poller's: one per shared execution, and the N subscribers here send one document with one set of credentials, so they share one execution and one read (section 11); a periodic re-check may add one.",
    '- Output bytes include the 24-byte body of each 416 answer ("nothing new yet").',
  ].join('\n');
  return { title: 'Task watchers: N watchers of one running deploy', markdown, problems, runs };
}

if (isMain(import.meta.url)) {
  const section = await runTaskWatchers({ log: (line) => console.error(line) });
  console.log(`## ${section.title}\n\n${section.markdown}`);
  for (const p of section.problems) console.error(`PROBLEM: ${p}`);
  if (section.problems.length > 0) process.exitCode = 1;
}
