/**
 * The replicas benchmark's baseline: the same 300 subscribers and deploy, on one gateway process
 * without Redis, as before replicas shared anything. Reports the same latency and Director reads
 * per round, so the fleet's figures read against a single process's on the same machine.
 */
import { child, percentile, type Received, sse, ws } from './lib/timed-clients.js';

const INTERVAL_MS = 500;
const QUERY = 'subscription($id: ID!) { taskEvents(id: $id) { __typename cursor time } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Baseline {
  p50: number;
  p95: number;
  taskPerRound: number;
  outputPerRound: number;
  complete: number;
  records: number;
}

export async function runSingleProcess(
  variant: 'shared' | 'own',
  subscribers: number,
  log: (line: string) => void,
): Promise<Baseline> {
  const { child: director, ready: sim } = await child('./lib/timed-sim-child.ts');
  const { child: gateway, ready: gw } = await child('./lib/fanout-gateway-child.ts', [sim.url]);
  const { taskId } = await director.ask<{ taskId: number }>(
    { kind: 'start', name: 'replicas', groups: 10, instances: 4 },
    'started',
  );
  const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  const outs: Received[] = [];
  const done: Promise<void>[] = [];
  for (let i = 0; i < subscribers; i += 1) {
    const out: Received = { records: [], completed: false };
    const query = variant === 'shared' ? QUERY : `${QUERY}\n# subscriber ${i}`;
    const variables = { id: String(taskId) };
    done.push(
      i % 2 === 0 ? sse(gw.url, query, variables, auth, out) : ws(gw.url, query, variables, auth, out),
    );
    outs.push(out);
  }
  for (;;) {
    const stats = await gateway.ask<{ fanout: { clients: number } }>({ kind: 'stats' }, 'stats');
    if (stats.fanout.clients >= subscribers) break;
    await sleep(50);
  }
  director.process.send({ kind: 'run' });
  log(`replicas baseline (${variant}): one process, ${subscribers} subscribers`);
  await Promise.all(done);
  const { writes } = await director.ask<{ writes: [number, number][] }>({ kind: 'writes' }, 'writes');
  const dlog = await director.ask<{ task: number[]; output: number[]; taskBeforeRun: number; runAt: number }>(
    { kind: 'log' },
    'log',
  );
  const writtenAt = (end: number) => writes.find(([length]) => length >= end)?.[1] ?? 0;
  const latencies: number[] = [];
  const reference = outs[0]!.records.map(([offset]) => offset).join(',');
  let complete = 0;
  for (const out of outs) {
    if (out.completed && out.records.map(([offset]) => offset).join(',') === reference) complete += 1;
    for (const [end, at] of out.records) latencies.push(at - writtenAt(end));
  }
  latencies.sort((a, b) => a - b);
  const lastOutput = dlog.output.at(-1) ?? dlog.runAt;
  const rounds = (lastOutput - dlog.runAt) / (INTERVAL_MS * 1.05);
  gateway.process.send({ kind: 'stop' });
  director.process.send({ kind: 'stop' });
  return {
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    taskPerRound: (dlog.task.length - dlog.taskBeforeRun) / rounds,
    outputPerRound: dlog.output.length / rounds,
    complete,
    records: outs[0]!.records.length,
  };
}
