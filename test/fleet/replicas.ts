/**
 * Replicas in one test process: R gateway runtimes in front of one simulated Director, each with
 * its own port and its own Redis connections, sharing one key prefix.
 */
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js';
import type { RedisFleet } from '../../src/stream/redis-fleet.js';
import type { StreamSettings } from '../../src/stream/settings.js';
import { cleanPrefix, INSTALL_REDIS, redisAnswers, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';

export interface Replica {
  runtime: GatewayRuntime;
  url: string;
  fleet: RedisFleet;
}

export interface Replicas {
  sim: Simulator;
  prefix: string;
  replicas: Replica[];
  /** Log lines of every replica, in order. */
  logs: string[];
  /** Leases this replica holds, over its live pollers. */
  holders(replica: Replica): number;
  close(): Promise<void>;
}

export async function startReplicas(
  count: number,
  options: {
    simulator?: SimulatorOptions;
    stream?: Partial<StreamSettings>;
    redisUrl?: string;
    /** Wait until every replica shares through Redis. @default true */
    shared?: boolean;
  } = {},
): Promise<Replicas> {
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  if (options.redisUrl === undefined && !(await redisAnswers(redisUrl))) {
    // Only reached on CI (elsewhere the suites skip): say what is missing, not a timeout.
    throw new Error(`No Redis answers at ${redisUrl}: ${INSTALL_REDIS}.`);
  }
  const sim = await startSimulator({ tickMs: 20, ...options.simulator });
  const prefix = testPrefix();
  const logs: string[] = [];
  const admin = sim.users.admin!;
  const replicas: Replica[] = [];
  for (let i = 0; i < count; i += 1) {
    const runtime = createGatewayRuntime({
      director: {
        url: sim.url,
        client: admin.username,
        clientSecret: admin.password,
        retry: { baseDelayMs: 10, maxDelayMs: 50 },
        breaker: { cooldownMs: 100 },
      },
      stream: { intervalMs: 250, retryBaseMs: 20, retryMaxMs: 100, ...options.stream },
      graphiql: false,
      redis: { url: redisUrl, prefix, log: (line) => logs.push(line) },
    });
    const fleet = runtime.streams.fleet as RedisFleet;
    const url = await runtime.gateway.listen(0, '127.0.0.1');
    replicas.push({ runtime, url, fleet });
  }
  // Until its Redis connections are ready a replica polls alone (section 13.6): start sharing.
  if (options.shared !== false) {
    const deadline = Date.now() + 20_000;
    while (!replicas.every((r) => r.fleet.status().mode === 'shared')) {
      if (Date.now() > deadline) throw new Error(`the replicas do not share through ${redisUrl}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return {
    sim,
    prefix,
    replicas,
    logs,
    holders: (replica) => replica.fleet.leasesHeld(),
    async close() {
      await Promise.allSettled(replicas.map((r) => r.runtime.close()));
      await sim.stop();
      await cleanPrefix(prefix, redisUrl).catch(() => undefined);
    },
  };
}
