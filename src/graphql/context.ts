import type { DirectorApi } from '../director/api.js';
import type { TaskStreams } from '../stream/task-streams.js';
import type { Loaders } from './loaders.js';

/** What every resolver gets: the caller's Director API, this operation's loaders, the task streams. */
export interface GatewayContext {
  /**
   * The caller's Director API for this operation: its calls carry the operation's deadline and call
   * budget, and stop when its transport ends (docs/director-api-notes.md §13).
   */
  director: DirectorApi;
  loaders: Loaders;
  /** The caller's own Authorization (undefined: the gateway's configured client is used). */
  authorization: string | undefined;
  /** Process-wide: the shared task pollers (subscriptions only). */
  streams: TaskStreams;
  /** Aborts when the transport ends: the client disconnected, or its WebSocket operation ended. */
  signal: AbortSignal | undefined;
  /**
   * The caller's API for a subscription's stream, which outlives the operation's deadline: its
   * calls stop only when the transport ends (docs/task-stream.md section 10).
   */
  streamDirector(): DirectorApi;
  /** A fresh scope (deadline and call budget) for resolving one pushed subscription result. */
  payloadDirector(): DirectorApi;
}
