/**
 * Director calls per GraphQL query: the gateway against two baselines, on the same simulated
 * Director, with 4 deployments (the seed) and then with more.
 *
 * - `gateway`: the query through the gateway's HTTP handler (per-operation loaders: each list
 *   fetched once, one `vms?format=full` task per deployment).
 * - `per field, no cache`: the gateway's own resolvers run with loaders that do not memoise or
 *   batch (bench/lib/uncached-loaders.ts): every field that needs Director data fetches it. This is
 *   a frontend that fetches per component with no shared cache, and it isolates what the loaders
 *   save, since everything else is the same code.
 * - `hand-written REST`: the fewest REST calls that give the same answer, as a careful frontend
 *   would write them (and as bosh-cli does: e.g. release names and versions come with
 *   `GET /deployments`, so `GET /releases` is not needed for them). Its answer is compared with the
 *   gateway's, so the baseline cannot cheat by fetching less data.
 *
 * The counts come from the simulator's request log; every variant uses the same Director client
 * settings (`vms?format=full` task polled after 50 ms, then at pauses doubling up to 100 ms).
 */
import { isDeepStrictEqual } from 'node:util';
import { type DocumentNode, execute, parse } from 'graphql';
import type { DirectorApi } from '../src/director/api.js';
import { DirectorClient } from '../src/director/index.js';
import type { WireDeployment, WireVmFull } from '../src/director/types.js';
import { createSchema } from '../src/graphql/schema.js';
import type { GatewayRuntime } from '../src/server/start.js';
import { type Simulator, startSimulator } from '../src/simulator/index.js';
import { TaskStreams } from '../src/stream/task-streams.js';
import { deployManifest } from '../test/helpers/manifests.js';
import { gatewayQuery, startBenchGateway } from './lib/gateway.js';
import { type BenchSection, isMain, kib, median, ms, ratio, table } from './lib/report.js';
import { createUncachedLoaders } from './lib/uncached-loaders.js';
import { vmDetailsLatency } from './lib/vm-details-latency.js';

export interface QueryCostOptions {
  /** Numbers of deployments to measure at (the seed has 4; more are deployed). @default [4, 20] */
  deployments?: number[];
  /** Runs of each query per variant; ratios and times use the medians. @default 5 */
  repeats?: number;
  /** Longest pause between polls of the `vms?format=full` task, every variant. @default 100 */
  taskPollIntervalMs?: number;
  log?: (line: string) => void;
}

type Variant = 'gateway' | 'per field, no cache' | 'hand-written REST';
const VARIANTS: readonly Variant[] = ['gateway', 'per field, no cache', 'hand-written REST'];

interface Query {
  label: string;
  text: string;
  /** The same answer (the query's `data`) from the fewest REST calls. */
  rest(api: DirectorApi): Promise<unknown>;
  /** Puts an answer in a canonical order, where the order is the Director's and not the query's. */
  canonical?(data: unknown): unknown;
}

const byName = (list: WireDeployment[]) => new Map(list.map((d) => [d.name, d]));

const QUERIES: readonly Query[] = [
  {
    label: 'Q1 releases & stemcells',
    text: '{ deployments { name releases { version release { name } } stemcells { operatingSystem deployments { name } } } }',
    async rest(api) {
      // Release names and versions come with the deployments list; operating systems and the
      // stemcells' deployments need /stemcells.
      const [deployments, stemcells] = await Promise.all([api.listDeployments(), api.listStemcells()]);
      const visible = byName(deployments);
      return {
        deployments: deployments.map((d) => ({
          name: d.name,
          releases: (d.releases ?? []).map((r) => ({ version: r.version, release: { name: r.name } })),
          stemcells: (d.stemcells ?? []).flatMap((ref) =>
            stemcells
              .filter((s) => s.name === ref.name && s.version === ref.version)
              .map((s) => ({
                operatingSystem: s.operating_system,
                deployments: s.deployments.filter((x) => visible.has(x.name)).map((x) => ({ name: x.name })),
              })),
          ),
        })),
      };
    },
  },
  {
    label: 'Q2 VMs of every deployment',
    text: '{ deployments { vms { cid } } }',
    async rest(api) {
      // The REST API has no batch endpoint: one /vms per deployment, whoever asks.
      const deployments = await api.listDeployments();
      const vms = await Promise.all(deployments.map((d) => api.listVms(d.name)));
      return { deployments: vms.map((list) => ({ vms: list.map((vm) => ({ cid: vm.cid })) })) };
    },
  },
  {
    label: "Q3 one deployment's VM vitals",
    text: '{ deployment(name: "cf") { vms { cid details { jobState vitals { load } } } } }',
    async rest(api) {
      // One `vms?format=full` task names every VM with its cid, state and vitals.
      const lines = await api.listVmsFull('cf');
      return { deployment: { vms: lines.map(vmDetails) } };
    },
    canonical(data) {
      // The task's result lists VMs in no particular order: compare by cid. Vitals are live
      // readings, new in every `vms?format=full` task: compare that they are there (three load
      // averages), not their values.
      type Vm = {
        cid: string | null;
        details: { jobState: string | null; vitals: { load: number[] } | null } | null;
      };
      const d = data as { deployment: { vms: Vm[] } | null } | null;
      if (!d?.deployment) return d;
      const vms = d.deployment.vms
        .map((vm) => ({
          cid: vm.cid,
          jobState: vm.details?.jobState ?? null,
          loadAverages: vm.details?.vitals ? vm.details.vitals.load.length : null,
        }))
        .sort((a, b) => String(a.cid).localeCompare(String(b.cid)));
      return { deployment: { vms } };
    },
  },
  {
    label: "Q4 recent tasks' deployments",
    text: '{ tasks(limit: 20) { deployment { name teams } } }',
    async rest(api) {
      const tasks = await api.listTasks({ limit: 20, verbose: 1 });
      const named = tasks.some((t) => t.deployment);
      const deployments = named ? byName(await api.listDeployments()) : new Map<string, WireDeployment>();
      return {
        tasks: tasks.map((t) => {
          const d = t.deployment ? deployments.get(t.deployment) : undefined;
          return { deployment: d ? { name: d.name, teams: d.teams ?? [] } : null };
        }),
      };
    },
  },
];

function vmDetails(line: WireVmFull) {
  return {
    cid: line.vm_cid,
    details: {
      jobState: line.job_state,
      vitals: line.vitals ? { load: line.vitals.load.map(Number).filter((n) => !Number.isNaN(n)) } : null,
    },
  };
}

interface Measure {
  query: string;
  deployments: number;
  variant: Variant;
  /** Director calls per run (every run of this query and variant). */
  calls: number[];
  bytes: number;
  /** Calls by route, of the first run. */
  routes: string;
  times: number[];
  data: unknown;
  errors: string[];
}

/** `GET /deployments/cf/vms?format=full` → `GET /deployments/{name}/vms?format=full`. */
function route(method: string, path: string, query: string): string {
  const template = path
    .replace(/^\/tasks\/\d+/, '/tasks/{id}')
    .replace(/^\/deployments\/[^/]+(?=\/|$)/, '/deployments/{name}');
  const kept = query
    .split('&')
    .filter((p) => p.startsWith('format=') || p.startsWith('type='))
    .join('&');
  return `${method} ${template}${kept ? `?${kept}` : ''}`;
}

function routeSummary(sim: Simulator): string {
  const counts = new Map<string, number>();
  for (const r of sim.requests.list()) {
    const key = route(r.method, r.path, r.query);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');
}

interface Runner {
  run(query: Query, document: DocumentNode): Promise<{ data: unknown; errors: string[] }>;
}

function runners(sim: Simulator, gateway: GatewayRuntime, client: DirectorClient): Record<Variant, Runner> {
  const auth = sim.basicAuth('admin');
  const schema = createSchema();
  const streams = new TaskStreams();
  return {
    gateway: {
      async run(query) {
        const reply = await gatewayQuery(gateway, query.text, auth);
        return { data: reply.data, errors: (reply.errors ?? []).map((e) => e.message) };
      },
    },
    'per field, no cache': {
      async run(_query, document) {
        const director = client.forCaller(auth);
        const result = await execute({
          schema,
          document,
          contextValue: { director, loaders: createUncachedLoaders(director), authorization: auth, streams },
        });
        return {
          data: JSON.parse(JSON.stringify(result.data ?? null)),
          errors: (result.errors ?? []).map((e) => e.message),
        };
      },
    },
    'hand-written REST': {
      async run(query) {
        try {
          return { data: await query.rest(client.forCaller(auth)), errors: [] };
        } catch (error) {
          return { data: null, errors: [error instanceof Error ? error.message : String(error)] };
        }
      },
    },
  };
}

async function measureAll(
  sim: Simulator,
  all: Record<Variant, Runner>,
  deployments: number,
  repeats: number,
): Promise<Measure[]> {
  const out: Measure[] = [];
  for (const query of QUERIES) {
    const document = parse(query.text);
    for (const variant of VARIANTS) {
      const m: Measure = {
        query: query.label,
        deployments,
        variant,
        calls: [],
        bytes: 0,
        routes: '',
        times: [],
        data: undefined,
        errors: [],
      };
      for (let i = 0; i < repeats; i += 1) {
        sim.requests.reset();
        const started = performance.now();
        const { data, errors } = await all[variant].run(query, document);
        m.times.push(performance.now() - started);
        m.calls.push(sim.requests.count());
        if (i === 0) {
          m.bytes = sim.requests.bytes();
          m.routes = routeSummary(sim);
          m.data = query.canonical ? query.canonical(data) : data;
          m.errors = errors;
        }
      }
      out.push(m);
    }
  }
  return out;
}

async function addDeployments(sim: Simulator, total: number): Promise<void> {
  const have = sim.deployments.names().length;
  const ids = Array.from({ length: Math.max(0, total - have) }, (_, i) =>
    sim.tasks.startDeploy(deployManifest(`extra-${have + i}`, 1, 2)),
  );
  const tasks = await Promise.all(ids.map((id) => sim.tasks.wait(id)));
  const failed = tasks.filter((t) => t.state !== 'done');
  if (failed.length > 0) throw new Error(`query-cost: ${failed.length} setup deploys failed`);
}

const callsText = (calls: number[]) => {
  const lo = Math.min(...calls);
  const hi = Math.max(...calls);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
};

export async function runQueryCost(
  opts: QueryCostOptions = {},
): Promise<BenchSection & { measures: Measure[] }> {
  const scales = opts.deployments ?? [4, 20];
  const repeats = opts.repeats ?? 5;
  const taskPollIntervalMs = opts.taskPollIntervalMs ?? 100;
  const log = opts.log ?? (() => undefined);
  const sim = await startSimulator({ tickMs: 20 });
  const gateway = startBenchGateway(sim, { taskPollIntervalMs });
  const client = new DirectorClient({ url: sim.url, taskPollIntervalMs });
  const measures: Measure[] = [];
  const problems: string[] = [];
  let latency: { markdown: string; problems: string[] };
  try {
    const all = runners(sim, gateway, client);
    for (const scale of scales) {
      await addDeployments(sim, scale);
      const deployments = sim.deployments.names().length;
      const got = await measureAll(sim, all, deployments, repeats);
      measures.push(...got);
      for (const m of got)
        log(`query-cost: ${m.query}, ${deployments} deployments, ${m.variant}: ${callsText(m.calls)} calls`);
    }
    latency = await vmDetailsLatency(sim, repeats);
    problems.push(...latency.problems);
  } finally {
    await gateway.close();
    await client.close();
    await sim.stop();
  }

  for (const m of measures) {
    if (m.errors.length > 0)
      problems.push(`query-cost ${m.query} (${m.deployments}) ${m.variant}: ${m.errors.join('; ')}`);
    const gw = measures.find(
      (x) => x.query === m.query && x.deployments === m.deployments && x.variant === 'gateway',
    );
    if (gw && m !== gw && !isDeepStrictEqual(m.data, gw.data))
      problems.push(
        `query-cost ${m.query} (${m.deployments}) ${m.variant}: its answer differs from the gateway's`,
      );
  }

  const rowsFor = (fn: (gw: Measure, nc: Measure, rest: Measure) => (string | number)[]) =>
    QUERIES.flatMap((q) =>
      [...new Set(measures.map((m) => m.deployments))].map((d) => {
        const pick = (v: Variant) =>
          measures.find((m) => m.query === q.label && m.deployments === d && m.variant === v)!;
        return fn(pick('gateway'), pick('per field, no cache'), pick('hand-written REST'));
      }),
    );
  const mid = (calls: number[]) => median(calls);
  const callRows = rowsFor((gw, nc, rest) => [
    gw.query,
    gw.deployments,
    callsText(gw.calls),
    callsText(nc.calls),
    callsText(rest.calls),
    ratio(mid(nc.calls), mid(gw.calls)),
    ratio(mid(rest.calls), mid(gw.calls)),
    [nc, rest].every((m) => isDeepStrictEqual(m.data, gw.data)) ? 'yes' : '**NO**',
  ]);
  const byteRows = rowsFor((gw, nc, rest) => [
    gw.query,
    gw.deployments,
    kib(gw.bytes),
    kib(nc.bytes),
    kib(rest.bytes),
    ratio(nc.bytes, gw.bytes),
    ratio(rest.bytes, gw.bytes),
    `${ms(median(gw.times))} / ${ms(median(nc.times))} / ${ms(median(rest.times))}`,
  ]);
  const routeRows = rowsFor((gw, nc, rest) => [gw.query, gw.deployments, gw.routes, nc.routes, rest.routes]);
  const markdown = [
    'Queries (as user admin, who sees every deployment):',
    '',
    ...QUERIES.map((q) => `- **${q.label}**: \`${q.text}\``),
    '',
    "Baselines: _per field, no cache_ runs the gateway's own resolvers with loaders that neither memoise nor batch " +
      '(each field that needs Director data fetches it: a frontend without a shared cache); _hand-written REST_ is ' +
      'the fewest REST calls that give the same answer (what a careful frontend, or bosh-cli, does). Both answers ' +
      'are checked against the gateway\'s ("same answer").',
    '',
    `Director calls per query (each query run ${repeats} times per variant; a range means the runs differed, and the ratios use the medians):`,
    '',
    table(
      [
        'query',
        'deployments',
        'gateway',
        'per field, no cache',
        'hand-written REST',
        'no cache ÷ gateway',
        'REST ÷ gateway',
        'same answer',
      ],
      callRows,
    ),
    '',
    'Bytes the Director sent (first run), and median time per query (gateway / no cache / REST):',
    '',
    table(
      [
        'query',
        'deployments',
        'gateway bytes',
        'no-cache bytes',
        'REST bytes',
        'no cache ÷ gateway',
        'REST ÷ gateway',
        'time',
      ],
      byteRows,
    ),
    '',
    'Calls by route (first run):',
    '',
    table(['query', 'deployments', 'gateway', 'per field, no cache', 'hand-written REST'], routeRows),
    '',
    '- `vms?format=full` is a Director task: the client starts it, polls `GET /tasks/{id}` at once, then after ' +
      `50 ms and at pauses doubling up to ${taskPollIntervalMs} ms until it is done, then reads its result, so the ` +
      'poll count depends on how long the task runs (simulator tick 20 ms).',
    "- Q3's answers are compared by cid, job state and the presence of three load averages: vitals are live " +
      'readings, new in every `vms?format=full` task.',
    '',
    latency.markdown,
  ].join('\n');
  return { title: 'Query cost: Director calls per GraphQL query', markdown, problems, measures };
}

if (isMain(import.meta.url)) {
  const section = await runQueryCost({ log: (line) => console.error(line) });
  console.log(`## ${section.title}\n\n${section.markdown}`);
  for (const p of section.problems) console.error(`PROBLEM: ${p}`);
  if (section.problems.length > 0) process.exitCode = 1;
}
