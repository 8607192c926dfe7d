/**
 * A simulated Director in a process of its own, so that a benchmark's heap and CPU figures are
 * the gateway's alone. Prints `{"url": ...}` on its first line, then serves until SIGTERM.
 *
 *   tsx bench/lib/sim-child.ts [tickMs]
 */
import { startSimulator } from '../../src/simulator/index.js';

const tickMs = Number(process.argv[2] ?? 100);
const sim = await startSimulator({ host: '127.0.0.1', port: 0, tls: false, auth: 'basic', tickMs });
process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
process.once('SIGTERM', () => {
  void sim.stop().then(() => process.exit(0));
});
