/**
 * The fan-out benchmark's gateway, in a process of its own, so that its CPU and heap are its own.
 * Messages (IPC): {stats} -> {cpu, heap (after a full GC), streams, fanout}; {stop}.
 */
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGatewayRuntime } from '../../src/server/start.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const director = process.argv[2] as string;
const runtime = createGatewayRuntime({
  director: { url: director, client: 'admin', clientSecret: 'admin' },
  graphiql: false,
});
const url = await runtime.gateway.listen(0, '127.0.0.1');

process.on('message', (message: { kind: string; collect?: boolean; snapshot?: string }) => {
  if (message.kind === 'stats') {
    // CPU is read before the collection, so that a forced GC never counts as the gateway's work.
    const cpu = process.cpuUsage();
    if (message.collect) gc();
    if (message.snapshot) writeHeapSnapshot(message.snapshot);
    process.send?.({
      kind: 'stats',
      cpu,
      heap: process.memoryUsage().heapUsed,
      streams: runtime.streams.stats(),
      fanout: runtime.fanout.stats(),
    });
  } else if (message.kind === 'stop') {
    void runtime.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url });
