/**
 * The gateway's HTTP server: GraphQL (queries, mutations, SSE subscriptions) and graphql-ws on
 * `/graphql`, GraphiQL for browsers, the SDL on `/schema.graphql`, `/health` and `/metrics`. Large
 * JSON answers and GraphiQL are compressed for clients that accept it (`compression.ts`). Plain JSON
 * queries of clients that are not browsers skip yoga's Fetch adapter (`direct-path.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema } from '../graphql/schema.js';
import type { TaskStreams } from '../stream/task-streams.js';
import { bodyLimitOf, prereadBody } from './body-limit.js';
import { useCompressedAnswers } from './compressed-answers.js';
import { DEFAULT_OPERATION_LIMITS, type DirectorSource, type OperationLimits } from './context.js';
import { createDirectPath, type DirectPath } from './direct-path.js';
import type { FanoutRegistry } from './fanout/registry.js';
import { createGraphiQLHandler, wantsGraphiQL } from './graphiql-cache.js';
import { useMultipartSubscriptions } from './multipart-subscriptions.js';
import { OriginPolicy } from './origins.js';
import type { Readiness } from './readiness.js';
import { createSchemaRoute } from './schema-route.js';
import { TrustedDocuments, useTrustedDocuments } from './trusted-documents.js';
import { useVariableErrorCodes } from './variable-errors.js';
import { attachWebSocket, type WebSocketTransport } from './ws.js';
import { createGatewayYoga, type GatewayYoga } from './yoga.js';

export interface GatewayOptions {
  director: DirectorSource;
  /** @default true */
  graphiql?: boolean;
  /**
   * Compress JSON answers of 1 KiB or more for clients that accept it. GraphiQL is compressed
   * either way. @default true
   */
  compressAnswers?: boolean;
  streams: TaskStreams;
  /** Text for GET /metrics (Prometheus exposition format). */
  metrics?: () => Promise<string>;
  /** Answers GET /ready: 200 when the Director can be served, 503 with the reasons otherwise. */
  readiness?: Readiness;
  /**
   * Web origins, besides the gateway's own, whose pages may call it from a browser: CORS with
   * credentials, and WebSocket. @default none
   */
  corsOrigins?: readonly string[];
  /** Every operation's deadline and Director-call budget. @default 30 s and 100 calls */
  limits?: OperationLimits;
  /** The shared subscription executions. */
  fanout?: FanoutRegistry;
  /**
   * Run only these documents (id to text), sent by id, on HTTP, SSE and WebSocket alike
   * (`trusted-documents.ts`). @default any operation runs
   */
  trustedDocuments?: Readonly<Record<string, string>>;
  /**
   * Answers a request no route of the gateway claims, before GraphQL's 404; true when it did. The
   * example dashboard serves its built files this way, from the gateway's own origin.
   */
  pages?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

export interface Gateway {
  yoga: GatewayYoga;
  server: Server;
  websocket: WebSocketTransport;
  /** Plain JSON queries of clients that are not browsers, answered past yoga's Fetch adapter. */
  direct: DirectPath;
  /** Starts listening; resolves with the URL of `/graphql`. */
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
}

/** The paths the gateway answers itself; `pages` never gets them. */
function isGatewayPath(req: IncomingMessage, endpoint: string): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return (
    path === endpoint ||
    path === '/health' ||
    path === '/ready' ||
    path === '/metrics' ||
    path === '/schema.graphql'
  );
}

export function createGateway(options: GatewayOptions): Gateway {
  const origins = new OriginPolicy(options.corsOrigins);
  const schema = createSchema();
  const schemaRoute = createSchemaRoute(schema);
  const trusted = options.trustedDocuments ? new TrustedDocuments(options.trustedDocuments) : undefined;
  const yoga = createGatewayYoga({
    schema,
    director: options.director,
    graphiql: options.graphiql,
    streams: options.streams,
    origins,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.fanout ? { fanout: options.fanout } : {}),
    plugins: [
      useMultipartSubscriptions(),
      useVariableErrorCodes(),
      ...(options.compressAnswers === false ? [] : [useCompressedAnswers()]),
      ...(trusted ? [useTrustedDocuments(trusted)] : []),
    ],
  });
  const graphiql = options.graphiql === false ? undefined : createGraphiQLHandler(yoga);
  const bodyLimit = bodyLimitOf(options.limits ?? DEFAULT_OPERATION_LIMITS);
  const direct = createDirectPath(yoga, {
    compressAnswers: options.compressAnswers !== false,
    varyOrigin: origins.hasAllowList,
  });
  const server = createServer(async (req, res) => {
    // Its client already left: nothing to answer, and nothing may be sent to the Director for it.
    if (req.socket.destroyed || req.socket.readableEnded) return;
    try {
      if (req.method === 'GET' && req.url === '/ready' && options.readiness) {
        const report = await options.readiness.check();
        res.writeHead(report.ready ? 200 : 503, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(JSON.stringify(report));
        return;
      }
      if (req.method === 'GET' && req.url === '/metrics' && options.metrics) {
        const text = await options.metrics();
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(text);
        return;
      }
      if (schemaRoute(req, res)) return;
      if (graphiql && wantsGraphiQL(req, yoga.graphqlEndpoint) && (await graphiql(req, res))) return;
      if (options.pages && !isGatewayPath(req, yoga.graphqlEndpoint) && (await options.pages(req, res)))
        return;
      if (!(await prereadBody(req, bodyLimit))) return;
      if (await direct.answer(req, res)) return;
      await yoga.handle(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    }
  });
  const websocket = attachWebSocket(server, yoga, origins, trusted);
  return {
    yoga,
    server,
    websocket,
    direct,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}${yoga.graphqlEndpoint}`);
        });
      }),
    close: async () => {
      await websocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
