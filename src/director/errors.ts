/**
 * Errors of the Director client. Like undici's, they are data: one base class with a stable `code`,
 * and the context as fields. Messages never carry credentials or the Director's host; `route` is a
 * path template such as `GET /deployments/:name`. How statuses and bodies map to these classes is
 * explained in docs/director-api-notes.md §5.
 */

export type DirectorErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'DIRECTOR_ERROR'
  | 'DIRECTOR_UNAVAILABLE'
  | 'DIRECTOR_TIMEOUT'
  | 'DIRECTOR_TLS_ERROR'
  | 'BAD_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'TASK_FAILED'
  | 'ABORTED'
  | 'CALL_BUDGET_EXCEEDED'
  | 'DIFF_FAILED';

export interface DirectorErrorDetails {
  /** HTTP status of the Director's answer; undefined when there was no answer. */
  status?: number | undefined;
  /** The Director's numeric error code (`{"code":70000,...}`) when it sent one. */
  directorCode?: number | undefined;
  /** Method and path template, e.g. `GET /deployments/:name`. */
  route?: string | undefined;
  cause?: unknown;
}

export abstract class DirectorError extends Error {
  abstract readonly code: DirectorErrorCode;
  readonly status: number | undefined;
  readonly directorCode: number | undefined;
  readonly route: string | undefined;

  constructor(message: string, details: DirectorErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status;
    this.directorCode = details.directorCode;
    this.route = details.route;
  }
}

/** Whose credentials a request carried: the caller's own, the configured client's, or none. */
export type CredentialSource = 'forwarded' | 'configured' | 'anonymous';

/** 401 with a plain-text body: no credentials, or ones the Director (or UAA) did not accept. */
export class DirectorUnauthenticatedError extends DirectorError {
  readonly code = 'UNAUTHENTICATED' as const;
  /**
   * Whose credentials were refused, when known: a refused configured client is the operator's to
   * fix (its secret), not the caller's.
   */
  credentials: CredentialSource | undefined;
}

/** 401 with JSON code 600000 (real Directors never send 403 for permissions), or a 403. */
export class DirectorForbiddenError extends DirectorError {
  readonly code = 'FORBIDDEN' as const;
}

/** 404: JSON (70000 deployment, 10000 task, ...) or plain text `Endpoint '...' not found.` */
export class DirectorNotFoundError extends DirectorError {
  readonly code = 'NOT_FOUND' as const;
}

/** The Director refused the request (400 and other 4xx), or the client refused to send it. */
export class DirectorBadRequestError extends DirectorError {
  readonly code = 'BAD_REQUEST' as const;
}

/** 5xx. Unexpected Director exceptions are a 500 with an empty body. */
export class DirectorServerError extends DirectorError {
  readonly code = 'DIRECTOR_ERROR' as const;
}

/** The connection was refused, reset or could not be made. */
export class DirectorUnavailableError extends DirectorError {
  readonly code = 'DIRECTOR_UNAVAILABLE' as const;
}

/**
 * `deadline` is the operation's own deadline (the gateway's request timeout), which covers the
 * time a call waits for a free connection too.
 */
export type TimeoutPhase = 'connect' | 'headers' | 'body' | 'task' | 'deadline';

/** Connect, headers or body timeout, a task wait past its `timeoutMs`, or the operation's deadline. */
export class DirectorTimeoutError extends DirectorError {
  readonly code = 'DIRECTOR_TIMEOUT' as const;
  readonly phase: TimeoutPhase;
  constructor(message: string, phase: TimeoutPhase, details: DirectorErrorDetails = {}) {
    super(message, details);
    this.phase = phase;
  }
}

/** The Director's certificate did not verify against the configured CA (or the system roots). */
export class DirectorTlsError extends DirectorError {
  readonly code = 'DIRECTOR_TLS_ERROR' as const;
  /** Node's TLS error code, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`. */
  readonly tlsCode: string | undefined;
  constructor(message: string, tlsCode: string | undefined, details: DirectorErrorDetails = {}) {
    super(message, details);
    this.tlsCode = tlsCode;
  }
}

/** An answer that is not what the route promises: bad JSON, wrong shape, missing Location, ... */
export class DirectorBadResponseError extends DirectorError {
  readonly code = 'BAD_RESPONSE' as const;
}

/**
 * An answer whose body is larger than the client's `maxResponseBytes`. Not transient: asking again
 * brings the same body, so callers must not retry it; task output is read in ranges instead (§3).
 */
export class DirectorResponseTooLargeError extends DirectorError {
  readonly code = 'RESPONSE_TOO_LARGE' as const;
  /** The limit the body went past, in bytes. */
  readonly limit: number;
  constructor(message: string, limit: number, details: DirectorErrorDetails = {}) {
    super(message, details);
    this.limit = limit;
  }
}

/** A task the client waited on ended in a state other than `done`. */
export class DirectorTaskFailedError extends DirectorError {
  readonly code = 'TASK_FAILED' as const;
  readonly taskId: number;
  readonly state: string;
  constructor(message: string, taskId: number, state: string, details: DirectorErrorDetails = {}) {
    super(message, details);
    this.taskId = taskId;
    this.state = state;
  }
}

/**
 * The operation that made the call ended first (its client disconnected, its subscription ended):
 * the call left the queue unsent, or was cut off in flight. Nobody is waiting for its answer.
 */
export class DirectorAbortedError extends DirectorError {
  readonly code = 'ABORTED' as const;
}

/**
 * The operation already made as many Director calls as it may (`maxCalls` of its scope), so this
 * one was not sent. A guard behind the gateway's estimate: an operation over budget is normally
 * refused before it makes any call.
 */
export class DirectorCallBudgetError extends DirectorError {
  readonly code = 'CALL_BUDGET_EXCEEDED' as const;
  readonly limit: number;
  constructor(message: string, limit: number, details: DirectorErrorDetails = {}) {
    super(message, details);
    this.limit = limit;
  }
}

/**
 * The Director could not compute a deployment diff. It says so with a 200 whose body carries an
 * `error` and an empty diff (docs/director-api-notes.md §14); the message
 * is that error's first line, scrubbed.
 */
export class DirectorDiffError extends DirectorError {
  readonly code = 'DIFF_FAILED' as const;
}

/** True for any error of the Director client; with `code`, only for that code. */
export function isDirectorError(error: unknown, code?: DirectorErrorCode): error is DirectorError {
  return error instanceof DirectorError && (code === undefined || error.code === code);
}
