/**
 * Builds the GraphQL context of one operation: the caller's credentials bound into a DirectorApi,
 * and fresh loaders. Runs once per HTTP request, SSE subscription and WebSocket operation, so no
 * user's data or credentials can reach another operation.
 */
import type { CallScopeOptions, DirectorApi } from '../director/index.js';
import type { GatewayContext } from '../graphql/context.js';
import { createLoaders } from '../graphql/loaders.js';
import type { TaskStreams } from '../stream/task-streams.js';

export interface DirectorSource {
  /**
   * A DirectorApi that sends these credentials, or the configured client's when undefined, and
   * whose calls stay within `scope` (docs/director-api-notes.md §13).
   */
  forCaller(authorization: string | undefined, scope?: CallScopeOptions): DirectorApi;
}

/** The bounds of every operation (docs/director-api-notes.md §13, README "Limits"). */
export interface OperationLimits {
  /** An operation's deadline, in ms. @default 30000 */
  requestTimeoutMs: number;
  /** Director calls one operation (or one pushed subscription result) may make. @default 100 */
  maxDirectorCalls: number;
  /** Bytes of a manifest or other `@text` argument. @default 10 MiB */
  maxManifestBytes: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  requestTimeoutMs: 30_000,
  maxDirectorCalls: 100,
  maxManifestBytes: 10 * 1024 * 1024,
};

/**
 * Credentials of an operation: the `Authorization` header on HTTP and SSE, and the connection
 * params (`authorization` or `Authorization`) on WebSocket.
 */
export function authorizationOf(initial: {
  request?: Request;
  connectionParams?: Readonly<Record<string, unknown>> | undefined;
}): string | undefined {
  const header = initial.request?.headers.get('authorization');
  if (header) return header;
  const params = initial.connectionParams;
  const fromParams = params?.authorization ?? params?.Authorization;
  return typeof fromParams === 'string' && fromParams !== '' ? fromParams : undefined;
}

/**
 * The end of an operation's transport: the WebSocket operation's own signal when there is one,
 * else the HTTP request's, which the server aborts when its client disconnects.
 */
export function transportSignalOf(initial: {
  signal?: unknown;
  request?: Request;
  req?: { socket?: { destroyed?: boolean } };
  res?: { destroyed?: boolean; writableEnded?: boolean };
}): AbortSignal | undefined {
  if (initial.signal instanceof AbortSignal) return initial.signal;
  // A client can leave before its request is even handled (a loaded gateway reads requests late):
  // the server's abort then came before anybody listened, so ask the socket itself.
  const socket = initial.req?.socket as { destroyed?: boolean; readableEnded?: boolean } | undefined;
  if (socket?.destroyed || socket?.readableEnded || initial.res?.destroyed) return AbortSignal.abort();
  return initial.request?.signal;
}

/**
 * The operation's Director API, as `make` (which memoises) makes it on first use. A subscriber
 * that joins a shared execution never resolves a field with its own context, and its idle heap
 * should not hold an API it never uses. A proxy, because yoga copies context properties (getters
 * would run at once). The loaders skip it: they ask `make` themselves, and build each loader on
 * first use (`lazyFields`).
 */
function lazy<T extends object>(make: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const made = make();
      const value = made[key as keyof T];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(made) : value;
    },
  });
}

/** Whether an HTTP operation's client is still connected, asked of its socket directly. */
export function clientAliveOf(initial: {
  req?: { socket?: { destroyed?: boolean; readableEnded?: boolean } };
}): (() => boolean) | undefined {
  const socket = initial.req?.socket;
  // A client that closed its side: the socket ended (or was destroyed) before any close event.
  return socket ? () => socket.destroyed !== true && socket.readableEnded !== true : undefined;
}

export function createContext(
  source: DirectorSource,
  streams: TaskStreams,
  authorization: string | undefined,
  signal: AbortSignal | undefined = undefined,
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
  alive: (() => boolean) | undefined = undefined,
): GatewayContext {
  const scoped = () =>
    source.forCaller(authorization, {
      signal,
      alive,
      timeoutMs: limits.requestTimeoutMs,
      maxCalls: limits.maxDirectorCalls,
    });
  let api: DirectorApi | undefined;
  const made = () => {
    api ??= scoped();
    return api;
  };
  return {
    director: lazy(made),
    loaders: createLoaders(made),
    authorization,
    streams,
    signal,
    streamDirector: () => source.forCaller(authorization, { signal }),
    payloadDirector: scoped,
  };
}
