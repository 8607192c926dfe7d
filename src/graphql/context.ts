import type { DirectorApi } from '../director/api.js';
import type { TaskStreams } from '../stream/task-streams.js';
import type { Loaders } from './loaders.js';

/** What every resolver gets: the caller's Director API, this operation's loaders, the task streams. */
export interface GatewayContext {
  director: DirectorApi;
  loaders: Loaders;
  /** The caller's own Authorization (undefined: the gateway's configured client is used). */
  authorization: string | undefined;
  /** Process-wide: the shared task pollers (subscriptions only). */
  streams: TaskStreams;
}
