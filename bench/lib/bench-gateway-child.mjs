/**
 * The aggregator benchmark's gateway: the production setup of `bosh-graphql serve` (its defaults,
 * GraphiQL on, NODE_ENV=production set by the parent), run from the compiled `dist/` as the CLI
 * runs it (not through tsx, whose transform adds a helper call to every named closure), in a
 * process of its own so that its CPU is its own. Messages (IPC): {stats} -> {cpu}; {stop}.
 *
 *   npm run build && node bench/lib/bench-gateway-child.mjs <director url> [dist directory]
 *
 * Another build's `dist/` (an earlier commit's, say) can be named to compare two gateways.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = process.argv[3] ?? fileURLToPath(new URL('../../dist', import.meta.url));
const { createGatewayRuntime } = await import(pathToFileURL(resolve(dist, 'server/start.js')).href);

const runtime = createGatewayRuntime({
  director: { url: process.argv[2], client: 'admin', clientSecret: 'admin' },
});
const url = await runtime.gateway.listen(0, '127.0.0.1');

process.on('message', (message) => {
  if (message.kind === 'stats') process.send?.({ kind: 'stats', cpu: process.cpuUsage() });
  else if (message.kind === 'stop') void runtime.close().then(() => process.exit(0));
});
process.send?.({ kind: 'ready', url });
