/**
 * A gateway in process in front of a simulated Director, set up as the benchmarks need it (the
 * test suite's helper tunes retries and intervals for tests; here the settings are the
 * benchmark's, and the same ones go to the baselines).
 */
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import type { Simulator } from '../../src/simulator/index.js';
import type { StreamSettings } from '../../src/stream/settings.js';

export interface BenchGatewayOptions {
  stream?: Partial<StreamSettings>;
  /** Longest pause between `waitForTask` polls (the `vms?format=full` task). */
  taskPollIntervalMs?: number;
  /** First pause of `waitForTask` (the client's default when absent). */
  taskFirstPollMs?: number;
}

export function startBenchGateway(sim: Simulator, options: BenchGatewayOptions = {}): GatewayRuntime {
  const admin = sim.users.admin!;
  return createGatewayRuntime({
    director: {
      url: sim.url,
      client: admin.username,
      clientSecret: admin.password,
      ...(options.taskPollIntervalMs ? { taskPollIntervalMs: options.taskPollIntervalMs } : {}),
      ...(options.taskFirstPollMs ? { taskFirstPollMs: options.taskFirstPollMs } : {}),
    },
    stream: options.stream ?? {},
    graphiql: false,
  });
}

export interface QueryReply {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One operation through the gateway's HTTP handler, in process (no port). */
export async function gatewayQuery(
  runtime: GatewayRuntime,
  query: string,
  authorization: string,
): Promise<QueryReply> {
  const response = await runtime.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<QueryReply, 'status'>;
  return { status: response.status, ...body };
}
