/**
 * Shares subscription executions between subscribers (docs/task-stream.md section 11), as a yoga
 * plugin, on every transport:
 *
 * - At subscribe, a subscription whose root field is marked `@shared` in the SDL gets a member of
 *   the hub for its key (document, operation name, variables, credentials). When no hub runs for
 *   the key, the subscription is started as before (its authorization read answers the request
 *   at once if refused), in a context of its own with the hub's lifetime, and its member becomes
 *   the hub's first.
 * - For SSE, the member's bytes go straight to the response (a Node stream yoga's server pipes),
 *   one write per poll round, with one ping timer for every stream. WebSocket and multipart read
 *   the member as an async iterator.
 *
 * Fields without `@shared` run once per subscriber, in a hub of their own that nobody else joins,
 * so every subscription is counted, and ends with its transport, the same way.
 */
import { Readable } from 'node:stream';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  getOperationAST,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../../graphql/context.js';
import { callerIdentity } from '../../stream/caps.js';
import { Hub, Member, type Replay, type Sink } from './hub.js';
import type { FanoutRegistry } from './registry.js';
import { SSE_COMPLETE, SSE_PING } from './serialize.js';

/** Builds the context of a hub: the member's credentials, the hub's own lifetime. */
export type HubContextFactory = (member: GatewayContext, signal: AbortSignal) => GatewayContext;

/** Bytes an SSE client may leave unread before it is cut off (it resumes with its cursor). */
const MAX_UNREAD_SSE_BYTES = 8 * 1024 * 1024;
const PING_INTERVAL_MS = 12_000;

const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 0;

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) {
    id = nextDocumentId++;
    documentIds.set(document, id);
  }
  return id;
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` share. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stable(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The replay policy of the operation's root field, or undefined when it is not shared. */
function replayOf(schema: GraphQLSchema, args: ExecutionArgs): Replay | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  const selection = operation?.selectionSet.selections;
  if (selection?.length !== 1 || selection[0]?.kind !== 'Field') return undefined;
  const field = schema.getSubscriptionType()?.getFields()[selection[0].name.value];
  const shared = field?.astNode?.directives?.find((d) => d.name.value === 'shared');
  if (!shared) return undefined;
  const replay = shared.arguments?.find((a) => a.name.value === 'replay')?.value;
  return replay?.kind === 'EnumValue' ? (replay.value as Replay) : 'NONE';
}

function acceptsEventStream(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  const sse = accept.indexOf('text/event-stream');
  if (sse < 0) return false;
  // A client that asks for multipart first (Apollo Client) gets yoga's multipart processor.
  const multipart = accept.indexOf('multipart/mixed');
  return multipart < 0 || sse < multipart;
}

/** Every live SSE stream, pinged by one timer. */
const streams = new Set<Readable>();
let pinger: NodeJS.Timeout | undefined;

/** SSE bodies of shared subscriptions still open, in this process (0 once every client left). */
export function liveSseStreams(): number {
  return streams.size;
}

function pinged(stream: Readable): void {
  streams.add(stream);
  stream.once('close', () => {
    streams.delete(stream);
    if (streams.size === 0 && pinger) {
      clearInterval(pinger);
      pinger = undefined;
    }
  });
  pinger ??= setInterval(() => {
    for (const live of streams) if (live.readableLength === 0) live.push(SSE_PING);
  }, PING_INTERVAL_MS).unref();
}

function sseResponse(member: Member, fetchAPI: { Response: typeof Response }): Response {
  // A bare Readable the hub pushes into (a PassThrough would add a writable side per stream).
  const stream = new Readable({ read() {} });
  stream.on('error', () => undefined);
  // The first bytes flush the headers at once: some browsers wait for a body before reporting.
  stream.push(SSE_PING);
  pinged(stream);
  member.attachSink({
    write(_records, bytes) {
      if (stream.destroyed) return true;
      if (stream.readableLength > MAX_UNREAD_SSE_BYTES) {
        stream.destroy();
        return false;
      }
      stream.push(bytes);
      return true;
    },
    end(completed) {
      if (stream.destroyed || stream.readableEnded) return;
      // The client left: no one will read the rest, and a body never sent never closes by itself
      // (a response abandoned before it started is never piped to its socket).
      if (member.transport?.aborted) {
        stream.destroy();
        return;
      }
      if (completed) stream.push(SSE_COMPLETE);
      stream.push(null);
    },
  });
  stream.once('close', () => void member.return());
  return new fetchAPI.Response(stream as unknown as BodyInit, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream',
      Connection: 'keep-alive',
      'Cache-Control': 'no-cache',
      'Content-Encoding': 'none',
    },
  });
}

export function useSharedSubscriptions(registry: FanoutRegistry, hubContext: HubContextFactory): Plugin {
  // SSE requests' members: yoga wraps a subscription's result (error masking) before its result
  // processor sees it, so the member is found by its request, and the hub masks once instead.
  const members = new WeakMap<object, Member>();
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const replay = replayOf(args.schema, args);
      const member = args.contextValue as unknown as GatewayContext;
      const key = replay
        ? [
            documentId(args.document),
            args.operationName ?? '',
            stable(args.variableValues ?? {}),
            callerIdentity(member.authorization),
          ].join('|')
        : undefined;
      const startHub = async (subscribeArgs: ExecutionArgs): Promise<Hub | ExecutionResult> => {
        const stop = new AbortController();
        const result = await subscribeFn({
          ...subscribeArgs,
          contextValue: hubContext(member, stop.signal),
        } as never);
        if (!isAsyncIterable(result)) {
          stop.abort();
          return result as ExecutionResult;
        }
        const source = (result as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]();
        return new Hub(
          key,
          replay ?? 'NONE',
          source as AsyncIterableIterator<ExecutionResult>,
          stop,
          registry,
        );
      };
      setSubscribeFn(async (subscribeArgs) => {
        const start = () => startHub(subscribeArgs as ExecutionArgs);
        // The hub to join now: a running one, a start in flight (same credentials, so the same
        // authorization answer), or a start of our own.
        const resolve = async (): Promise<Hub | ExecutionResult> => {
          if (key === undefined) return start();
          return registry.joinable(key) ?? registry.starting(key) ?? registry.start(key, start);
        };
        const started = await resolve();
        if (!(started instanceof Hub)) return started as never;
        const sink = (member as { webSocketSink?: Sink }).webSocketSink;
        const joined = new Member(started, member.signal, resolve, sink);
        const request = (member as { request?: object }).request;
        if (request) members.set(request, joined);
        return joined as never;
      });
    },
    onResultProcess({ request, result, setResultProcessor }) {
      const member = members.get(request);
      if (!member || !isAsyncIterable(result) || !acceptsEventStream(request)) return;
      setResultProcessor((_result, fetchAPI) => sseResponse(member, fetchAPI as never), 'text/event-stream');
    },
  };
}
