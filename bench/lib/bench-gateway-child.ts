/**
 * The aggregator benchmark's gateway: the production setup of `bosh-graphql serve` (its defaults,
 * GraphiQL on, NODE_ENV=production set by the parent) in a process of its own, so that its CPU is
 * its own. Messages (IPC): {stats} -> {cpu}; {stop}.
 *
 *   tsx bench/lib/bench-gateway-child.ts <director url>
 */
import { createGatewayRuntime } from '../../src/server/start.js';

const runtime = createGatewayRuntime({
  director: { url: process.argv[2] as string, client: 'admin', clientSecret: 'admin' },
});
const url = await runtime.gateway.listen(0, '127.0.0.1');

process.on('message', (message: { kind: string }) => {
  if (message.kind === 'stats') process.send?.({ kind: 'stats', cpu: process.cpuUsage() });
  else if (message.kind === 'stop') void runtime.close().then(() => process.exit(0));
});
process.send?.({ kind: 'ready', url });
