/**
 * A gateway in process in front of a simulated Director, for the GraphQL and subscription suites.
 * Queries are sent over HTTP as a server-side client sends them, so they take the gateway's direct
 * path (`src/server/direct-path.ts`); `listen()` gives the same port to SSE and WebSocket tests.
 */
import { request } from 'undici';
import type { DirectorClientOptions } from '../../src/director/index.js';
import type { OperationLimits } from '../../src/server/context.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/index.js';
import type { StreamSettings } from '../../src/stream/settings.js';

export interface GraphQLReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary result shapes
  data: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestGateway {
  sim: Simulator;
  runtime: GatewayRuntime;
  /** Runs one operation as a seeded user (`null`: no Authorization, i.e. the configured client). */
  graphql(query: string, variables?: Record<string, unknown>, user?: string | null): Promise<GraphQLReply>;
  /** The Authorization header of a seeded user for this simulator's auth mode. */
  auth(user: string): Promise<string>;
  /** Director calls since the last `resetCalls()`, by "METHOD path?query". */
  calls(): string[];
  resetCalls(): void;
  /** Opens a real port; returns the HTTP URL of /graphql. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  simulator?: SimulatorOptions;
  stream?: Partial<StreamSettings>;
  /** Configure the gateway with the simulator's admin as its client. @default true */
  configuredClient?: boolean;
  maxConcurrency?: number;
  /** More Director client options, e.g. `maxResponseBytes` or `outputChunkBytes`. */
  director?: Omit<DirectorClientOptions, 'url' | 'ca' | 'client' | 'clientSecret'>;
  /** Serve GraphiQL on GET /graphql for browsers (the browser tests). @default false */
  graphiql?: boolean;
  /** Compress large JSON answers (`--compress-answers`). @default true */
  compressAnswers?: boolean;
  /** Web origins allowed to call the gateway from a browser (`--cors-origin`). @default none */
  corsOrigins?: string[];
  /** Operation deadline and Director-call budget. @default the gateway's (30 s, 100 calls) */
  limits?: Partial<OperationLimits>;
  /** Run only these documents (id to text, `--trusted-documents`). @default any operation runs */
  trustedDocuments?: Record<string, string>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const sim = await startSimulator({ tickMs: 20, ...options.simulator });
  const admin = sim.users.admin!;
  const runtime = createGatewayRuntime({
    director: {
      url: sim.url,
      ...(sim.caCert ? { ca: sim.caCert } : {}),
      ...(options.configuredClient === false ? {} : { client: admin.username, clientSecret: admin.password }),
      ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      // Fault tests take the Director away briefly: a short cool-down keeps them quick.
      breaker: { cooldownMs: 100 },
      ...options.director,
    },
    stream: { intervalMs: 50, retryBaseMs: 20, retryMaxMs: 100, ...options.stream },
    graphiql: options.graphiql ?? false,
    compressAnswers: options.compressAnswers,
    corsOrigins: options.corsOrigins,
    limits: options.limits,
    trustedDocuments: options.trustedDocuments,
  });
  const auth = async (user: string) => (sim.authMode === 'uaa' ? sim.token(user) : sim.basicAuth(user));
  let url: Promise<string> | undefined;
  const listen = () => {
    url ??= runtime.gateway.listen(0, '127.0.0.1');
    return url;
  };
  return {
    sim,
    runtime,
    auth,
    async graphql(query, variables, user = 'admin') {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (user !== null) headers.authorization = await auth(user);
      const response = await request(await listen(), {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.body.json()) as Omit<GraphQLReply, 'status'>;
      return { status: response.statusCode, ...body };
    },
    calls: () => sim.requests.list().map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`),
    resetCalls: () => sim.requests.reset(),
    listen,
    async close() {
      await runtime.close();
      await sim.stop();
    },
  };
}
