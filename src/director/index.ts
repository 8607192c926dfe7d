/** The Director REST client: everything the rest of the gateway may import from `src/director`. */
export type {
  DeploymentListQuery,
  DeployOptions,
  DirectorApi,
  OutputRead,
  TaskListQuery,
  WaitOptions,
} from './api.js';
export type { BreakerOptions, BreakerState } from './breaker.js';
export { DirectorClient, type DirectorClientOptions, type DirectorTimeouts } from './client.js';
export { DIRECTOR_DEFAULTS } from './defaults.js';
export {
  type CredentialSource,
  DirectorAbortedError,
  DirectorBadRequestError,
  DirectorBadResponseError,
  DirectorCallBudgetError,
  DirectorDiffError,
  DirectorError,
  type DirectorErrorCode,
  DirectorForbiddenError,
  DirectorNotFoundError,
  DirectorResponseTooLargeError,
  DirectorServerError,
  DirectorTaskFailedError,
  DirectorTimeoutError,
  DirectorTlsError,
  DirectorUnauthenticatedError,
  DirectorUnavailableError,
  isDirectorError,
  type TimeoutPhase,
} from './errors.js';
export type { DirectorRequestEvent } from './http.js';
export { parseNdjson } from './ndjson.js';
export type * from './operations-api.js';
export type { RetryOptions } from './retry.js';
export type { CallScopeOptions } from './scope.js';
export { OutputTail, type TailLine } from './tail.js';
export * from './types.js';
export { DirectorUrlError, isLoopbackHost, parseDirectorUrl } from './url.js';
