/**
 * One gateway replica of the replicas benchmark, in a process of its own, sharing its task
 * pollers with the others through Redis. argv: Director URL, Redis URL, key prefix.
 * Messages (IPC): {stats} -> {cpu, leases, mode, streams}; {stop}
 */
import { createGatewayRuntime } from '../../src/server/start.js';
import type { RedisFleet } from '../../src/stream/redis-fleet.js';

const [director, redis, prefix] = process.argv.slice(2) as [string, string, string];
const runtime = createGatewayRuntime({
  director: { url: director, client: 'admin', clientSecret: 'admin' },
  graphiql: false,
  redis: { url: redis, prefix, log: () => undefined },
});
const fleet = runtime.streams.fleet as RedisFleet;
const url = await runtime.gateway.listen(0, '127.0.0.1');

process.on('message', (message: { kind: string }) => {
  if (message.kind === 'stats') {
    process.send?.({
      kind: 'stats',
      cpu: process.cpuUsage(),
      leases: fleet.leasesHeld(),
      counters: fleet.link.counters,
      mode: fleet.status().mode,
      streams: runtime.streams.stats(),
      clients: runtime.fanout.stats().clients,
    });
  } else if (message.kind === 'stop') {
    void runtime.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url });
