/**
 * Wires one running gateway: the Director client, the task streams, metrics and the HTTP server.
 * The CLI uses it, and so do the end-to-end tests and the benchmarks.
 */
import { DirectorClient, type DirectorClientOptions } from '../director/index.js';
import { RedisFleet } from '../stream/redis-fleet.js';
import type { StreamSettings } from '../stream/settings.js';
import { TaskStreams } from '../stream/task-streams.js';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './context.js';
import { FanoutRegistry } from './fanout/registry.js';
import { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { Readiness, startupLines } from './readiness.js';
import { maskResult } from './yoga.js';

export interface GatewayRuntimeOptions {
  director: DirectorClientOptions;
  stream?: Partial<StreamSettings>;
  /** @default true */
  graphiql?: boolean;
  /** Compress JSON answers of 1 KiB or more for clients that accept it (`--compress-answers`). @default true */
  compressAnswers?: boolean;
  /** Web origins, besides the gateway's own, whose pages may call it (`--cors-origin`). @default none */
  corsOrigins?: readonly string[];
  /** Every operation's deadline and Director-call budget. @default 30 s and 100 calls */
  limits?: Partial<OperationLimits>;
  /** Run only these documents (id to text, `--trusted-documents`). @default any operation runs */
  trustedDocuments?: Readonly<Record<string, string>>;
  /** Answers requests no gateway route claims (see `GatewayOptions.pages`). */
  pages?: GatewayOptions['pages'];
  /**
   * Share task pollers with the other replicas through this Redis (`--redis`, docs/task-stream.md
   * section 13). @default none: every poller lives in this process
   */
  redis?: { url: string; prefix: string; log?: (line: string, problem: boolean) => void };
}

export interface GatewayRuntime {
  client: DirectorClient;
  streams: TaskStreams;
  /** Client subscriptions and the executions they share (docs/task-stream.md section 11). */
  fanout: FanoutRegistry;
  metrics: GatewayMetrics;
  readiness: Readiness;
  gateway: Gateway;
  /**
   * Checks the Director once (reachable, certificate, configured client) and returns one line per
   * problem, naming the setting to fix. Later refusals of the configured client are logged as
   * they happen.
   */
  startupReport(director: string): Promise<string[]>;
  close(): Promise<void>;
}

export function createGatewayRuntime(options: GatewayRuntimeOptions): GatewayRuntime {
  const fleet = options.redis ? new RedisFleet(options.redis) : undefined;
  const streams = new TaskStreams(options.stream, fleet);
  const fanout = new FanoutRegistry(maskResult);
  const metrics = createMetrics(streams, fanout);
  // Before the start-up report, a refusal is that report's to tell, in one line.
  let reportChanges = false;
  const client = new DirectorClient({
    ...options.director,
    onConfiguredClient: (accepted) => {
      options.director.onConfiguredClient?.(accepted);
      if (!reportChanges) return;
      const name = options.director.client ?? '';
      if (accepted) console.log(`bosh-graphql: the Director accepts the configured client '${name}' again.`);
      else
        console.error(
          `bosh-graphql: the Director refused the configured client '${name}': check BOSH_CLIENT_SECRET (--client-secret). Requests without their own Authorization fail until it is fixed.`,
        );
    },
    onRequest: (event) => {
      metrics.onDirectorCall(event);
      options.director.onRequest?.(event);
    },
  });
  const readiness = new Readiness(client, undefined, fleet);
  const gateway = createGateway({
    director: client,
    streams,
    graphiql: options.graphiql,
    compressAnswers: options.compressAnswers,
    corsOrigins: options.corsOrigins,
    limits: { ...DEFAULT_OPERATION_LIMITS, ...options.limits },
    fanout,
    trustedDocuments: options.trustedDocuments,
    pages: options.pages,
    metrics: () => metrics.text(),
    readiness,
  });
  let closing: Promise<void> | undefined;
  return {
    client,
    streams,
    fanout,
    metrics,
    readiness,
    gateway,
    async startupReport(director) {
      const report = await readiness.check();
      reportChanges = true;
      return startupLines(report, director);
    },
    // Idempotent: graphql-ws refuses a second dispose, and shutdown paths may overlap.
    close: () => {
      closing ??= (async () => {
        streams.close();
        await streams.fleet.close();
        await gateway.close();
        await client.close();
      })();
      return closing;
    },
  };
}
