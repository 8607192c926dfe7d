/**
 * GraphQL over WebSocket (graphql-ws) on the same `/graphql` path as HTTP and SSE. Each operation
 * runs through yoga's envelop (`getEnveloped`), so it gets the same plugins, error masking and a
 * fresh context (loaders and credentials) of its own. Credentials come from the connection params
 * (`authorization` or `Authorization`).
 *
 * Each operation gets a signal of its own, aborted when the operation completes or the socket
 * closes, whichever comes first: its subscription detaches then even if graphql-ws never gets to
 * call `return()` on it, for example when the socket closed during its authorization read
 * (docs/task-stream.md section 10).
 *
 * Browsers let a page of any origin open a WebSocket anywhere, and send its `Origin`: an upgrade
 * from a page of another origin than the gateway's own or an allow-listed one is refused (403)
 * before any operation, since operations without credentials act as the configured client.
 * Clients that are not browsers send no `Origin` and connect as before.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createGraphQLError } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { webSocketSink } from './fanout/ws-sink.js';
import { OriginPolicy } from './origins.js';
import type { TrustedDocuments } from './trusted-documents.js';
import type { GatewayYoga } from './yoga.js';

export interface WebSocketTransport {
  /** Live WebSocket connections. */
  readonly clients: () => number;
  close(): Promise<void>;
}

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** True when the upgrade may proceed: no `Origin` (not a browser), or one the policy accepts. */
function acceptsUpgrade(req: IncomingMessage, origins: OriginPolicy): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origins.accepts(origin, req.headers.host);
}

/**
 * The document of an operation, or its syntax error with the code HTTP gives it. Thrown, the error
 * would close the whole connection (4500) instead of failing this one operation.
 */
function parseOperation(
  parse: (source: string) => DocumentNode,
  query: string,
): { document: DocumentNode } | { error: GraphQLError } {
  try {
    return { document: parse(query) };
  } catch (thrown) {
    // Told by name: graphql's CommonJS and ESM builds can both be loaded (see graphql/errors.ts).
    if (!(thrown instanceof Error) || thrown.name !== 'GraphQLError') throw thrown;
    const { message, source, positions, extensions } = thrown as GraphQLError;
    const error = createGraphQLError(message, {
      source,
      positions,
      extensions: { ...extensions, code: extensions.code ?? 'GRAPHQL_PARSE_FAILED' },
    });
    return { error };
  }
}

/** Write errors that only say the client is gone: its socket's 'close' ends its operations. */
const PEER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']);

/**
 * Makes a socket's sends to a client that vanished mid-write succeed quietly. graphql-ws treats a
 * failed send as a fault of the server's implementation and logs each with a stack trace, so every
 * client that dropped its connection while records streamed left several in the gateway's log.
 * Nothing is lost: the socket closes, and `onClose` ends the client's operations.
 */
export function quietWhenGone(socket: WebSocket): void {
  const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
  socket.send = ((data: unknown, ...rest: unknown[]) => {
    const done = rest.at(-1);
    if (typeof done === 'function') {
      rest[rest.length - 1] = (error?: Error) => {
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        done(code !== undefined && PEER_GONE.has(code) ? undefined : error);
      };
    }
    send(data, ...rest);
  }) as WebSocket['send'];
}

export function attachWebSocket(
  server: Server,
  yoga: GatewayYoga,
  origins: OriginPolicy = new OriginPolicy(),
  /** Run only these documents; yoga's plugin never sees WebSocket operations. */
  trusted?: TrustedDocuments,
): WebSocketTransport {
  // noServer, with the upgrade routed here: a WebSocketServer given the HTTP server re-emits that
  // server's 'error' (a port in use), and graphql-ws logs it with a stack trace before the CLI can
  // say it in one line.
  const wss = new WebSocketServer({
    noServer: true,
    // Shared subscriptions write ready-made uncompressed frames (fanout/ws-sink.ts).
    perMessageDeflate: false,
    verifyClient: (info, done) =>
      acceptsUpgrade(info.req, origins)
        ? done(true)
        : done(false, 403, 'A web page of another origin may not open this WebSocket.'),
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '/').split('?')[0] !== yoga.graphqlEndpoint) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  // The live operations of each connection, by id, with the controller that ends each one.
  const operations = new WeakMap<object, Map<string, AbortController>>();
  const end = (ctx: object, id: string) => {
    const live = operations.get(ctx);
    live?.get(id)?.abort();
    live?.delete(id);
  };
  // Before graphql-ws's own listener, so that every send it makes is already the quiet one.
  wss.on('connection', quietWhenGone);
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, id, payload) => {
        let live = operations.get(ctx);
        if (!live) {
          live = new Map();
          operations.set(ctx, live);
        }
        live.get(id)?.abort();
        const operation = new AbortController();
        live.set(id, operation);
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          connectionParams: ctx.connectionParams,
          signal: operation.signal,
          // A shared subscription writes its records straight to the socket (fanout/ws-sink.ts).
          webSocketSink: webSocketSink(ctx.extra.socket, id),
        });
        const document = trusted ? trusted.resolve(payload) : { query: payload.query };
        if ('error' in document) return [document.error];
        const parsed = parseOperation(parse, document.query);
        if ('error' in parsed) return [parsed.error];
        const args = {
          schema,
          operationName: payload.operationName,
          document: parsed.document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return errors;
        return args;
      },
      onComplete: (ctx, id) => end(ctx, id),
      onClose: (ctx) => {
        const live = operations.get(ctx);
        operations.delete(ctx);
        for (const operation of live?.values() ?? []) operation.abort();
      },
    },
    wss,
  );
  let closing: Promise<void> | undefined;
  return {
    clients: () => wss.clients.size,
    // graphql-ws's dispose() also closes the WebSocketServer, and a second dispose throws.
    close: () => {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await disposable.dispose();
      })();
      return closing;
    },
  };
}
