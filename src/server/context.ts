/**
 * Builds the GraphQL context of one operation: the caller's credentials bound into a DirectorApi,
 * and fresh loaders. Runs once per HTTP request, SSE subscription and WebSocket operation, so no
 * user's data or credentials can reach another operation.
 */
import type { DirectorApi } from '../director/api.js';
import type { GatewayContext } from '../graphql/context.js';
import { createLoaders } from '../graphql/loaders.js';
import type { TaskStreams } from '../stream/task-streams.js';

export interface DirectorSource {
  /** A DirectorApi that sends these credentials, or the configured client's when undefined. */
  forCaller(authorization: string | undefined): DirectorApi;
}

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

export function createContext(
  source: DirectorSource,
  streams: TaskStreams,
  authorization: string | undefined,
): GatewayContext {
  const director = source.forCaller(authorization);
  return { director, loaders: createLoaders(director), authorization, streams };
}
