/**
 * The example dashboard's server: the gateway in front of its embedded simulated Director, as
 * `bosh-graphql serve` runs it with no Director configured, serving the built dashboard from its
 * own origin (so no CORS) and running only the dashboard's trusted documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGatewayRuntime, type GatewayRuntime } from '../../../src/server/start.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../../src/simulator/index.js';
import { staticFiles } from './static-files.js';

export const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

export interface DashboardOptions {
  port?: number;
  host?: string;
  /** Options of the simulated Director (a test passes a ManualClock). @default tickMs 500 */
  simulator?: SimulatorOptions;
  /** Where the built dashboard is. @default examples/dashboard/dist */
  dist?: string;
  /** Also serve GraphiQL (it can run only the trusted documents). @default false */
  graphiql?: boolean;
}

export interface Dashboard {
  /** The dashboard's page, e.g. `http://127.0.0.1:4000/`. */
  url: string;
  /** The trusted-documents manifest the gateway runs. */
  manifest: string;
  sim: Simulator;
  runtime: GatewayRuntime;
  close(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const dist = options.dist ?? DIST;
  const manifest = join(dist, 'persisted-documents.json');
  let documents: Record<string, string>;
  try {
    documents = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, string>;
  } catch {
    throw new Error(`No built dashboard in ${dist}: run npm run build -w examples/dashboard first.`);
  }
  const sim = await startSimulator({ tickMs: 500, ...options.simulator, host: '127.0.0.1', port: 0 });
  const admin = sim.users.admin!;
  const runtime = createGatewayRuntime({
    director: { url: sim.url, client: admin.username, clientSecret: admin.password },
    trustedDocuments: documents,
    graphiql: options.graphiql ?? false,
    pages: staticFiles(dist),
  });
  let graphql: string;
  try {
    graphql = await runtime.gateway.listen(options.port ?? 4000, options.host ?? '127.0.0.1');
  } catch (error) {
    await runtime.close();
    await sim.stop();
    throw error;
  }
  return {
    url: new URL('/', graphql).href,
    manifest,
    sim,
    runtime,
    close: async () => {
      await runtime.close();
      await sim.stop();
    },
  };
}
