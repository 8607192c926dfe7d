/**
 * How long VM details take through the gateway at its default poll interval (500 ms, what
 * `serve` runs with), against the `vms` task's own duration: the wait as it was (every pause the
 * whole interval) and as it is (a first pause of 50 ms, doubling up to the interval). Both
 * gateways run in this process against the same simulated Director, one after the other, per
 * repeat. Times are wall-clock on a shared machine: the poll counts are the firmer evidence.
 */
import { DIRECTOR_DEFAULTS } from '../../src/director/defaults.js';
import type { Simulator } from '../../src/simulator/index.js';
import { gatewayQuery, startBenchGateway } from './gateway.js';
import { median, ms, table } from './report.js';

const QUERY = '{ deployment(name: "cf") { vms { cid details { jobState } } } }';
const INTERVAL = DIRECTOR_DEFAULTS.taskPollIntervalMs;

interface Timing {
  times: number[];
  polls: number[];
}

/** The `vms` task alone: from its start request until the simulator has finished it. */
async function taskDuration(sim: Simulator, auth: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${sim.url}/deployments/cf/vms?format=full`, {
    headers: { authorization: auth },
    redirect: 'manual',
  });
  const id = Number(new URL(response.headers.get('location') ?? '', sim.url).pathname.split('/').pop());
  await sim.tasks.wait(id);
  return performance.now() - started;
}

export async function vmDetailsLatency(
  sim: Simulator,
  repeats: number,
): Promise<{ markdown: string; problems: string[] }> {
  const auth = sim.basicAuth('admin');
  const gateways = {
    'fixed 500 ms (before)': startBenchGateway(sim, {
      taskPollIntervalMs: INTERVAL,
      taskFirstPollMs: INTERVAL,
    }),
    '50 ms, doubling to 500 ms': startBenchGateway(sim, { taskPollIntervalMs: INTERVAL }),
  };
  const timings = new Map<string, Timing>(Object.keys(gateways).map((k) => [k, { times: [], polls: [] }]));
  const own: number[] = [];
  const problems: string[] = [];
  try {
    for (let i = 0; i < repeats; i += 1) {
      own.push(await taskDuration(sim, auth));
      for (const [label, gateway] of Object.entries(gateways)) {
        sim.requests.reset();
        const started = performance.now();
        const reply = await gatewayQuery(gateway, QUERY, auth);
        const t = timings.get(label)!;
        t.times.push(performance.now() - started);
        t.polls.push(sim.requests.count({ method: 'GET', path: /^\/tasks\/\d+$/ }));
        if (reply.errors?.length) problems.push(`vm-details latency ${label}: ${reply.errors[0]?.message}`);
      }
    }
  } finally {
    await Promise.all(Object.values(gateways).map((g) => g.close()));
  }
  const ownMedian = median(own);
  const rows = [...timings].map(([label, t]) => [
    label,
    ms(median(t.times)),
    ms(median(t.times) - ownMedian),
    String(median(t.polls)),
  ]);
  const markdown = [
    `VM details latency: \`${QUERY}\` through a gateway at the default poll interval (${INTERVAL} ms), ` +
      `median of ${repeats} runs; the \`vms\` task alone took ${ms(ownMedian)} (median, start request to done):`,
    '',
    table(['task wait', 'time', 'time − task alone', 'task status reads'], rows),
  ].join('\n');
  return { markdown, problems };
}
