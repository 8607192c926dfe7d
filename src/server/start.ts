/**
 * Wires one running gateway: the Director client, the task streams, metrics and the HTTP server.
 * The CLI uses it, and so do the end-to-end tests and the benchmarks.
 */
import { DirectorClient, type DirectorClientOptions } from '../director/index.js';
import type { StreamSettings } from '../stream/settings.js';
import { TaskStreams } from '../stream/task-streams.js';
import { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';

export interface GatewayRuntimeOptions {
  director: DirectorClientOptions;
  stream?: Partial<StreamSettings>;
  /** @default true */
  graphiql?: boolean;
  /** Web origins, besides the gateway's own, whose pages may call it (`--cors-origin`). @default none */
  corsOrigins?: readonly string[];
  /** Run only these documents (id to text, `--trusted-documents`). @default any operation runs */
  trustedDocuments?: Readonly<Record<string, string>>;
  /** Answers requests no gateway route claims (see `GatewayOptions.pages`). */
  pages?: GatewayOptions['pages'];
}

export interface GatewayRuntime {
  client: DirectorClient;
  streams: TaskStreams;
  metrics: GatewayMetrics;
  gateway: Gateway;
  close(): Promise<void>;
}

export function createGatewayRuntime(options: GatewayRuntimeOptions): GatewayRuntime {
  const streams = new TaskStreams(options.stream);
  const metrics = createMetrics(streams);
  const client = new DirectorClient({
    ...options.director,
    onRequest: (event) => {
      metrics.onDirectorCall(event);
      options.director.onRequest?.(event);
    },
  });
  const gateway = createGateway({
    director: client,
    streams,
    graphiql: options.graphiql,
    corsOrigins: options.corsOrigins,
    trustedDocuments: options.trustedDocuments,
    pages: options.pages,
    metrics: () => metrics.text(),
  });
  let closing: Promise<void> | undefined;
  return {
    client,
    streams,
    metrics,
    gateway,
    // Idempotent: graphql-ws refuses a second dispose, and shutdown paths may overlap.
    close: () => {
      closing ??= (async () => {
        streams.close();
        await gateway.close();
        await client.close();
      })();
      return closing;
    },
  };
}
