/**
 * How a task stream ends badly (docs/task-stream.md, section 5). The stream knows no GraphQL: the
 * subscription resolvers turn a StreamError into a GraphQL error with the same code.
 */
import { isDirectorError } from '../director/errors.js';

export type StreamErrorCode =
  | 'DIRECTOR_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'DIRECTOR_ERROR'
  | 'TOO_MANY_SUBSCRIPTIONS';

export class StreamError extends Error {
  override name = 'StreamError';
  constructor(
    readonly code: StreamErrorCode,
    message: string,
    /** Byte offset the subscriber had reached: its resume point. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The same error, carrying one subscriber's position. */
  at(offset: number): StreamError {
    return new StreamError(this.code, this.message, offset, { cause: this.cause });
  }
}

/** Failures worth retrying: the Director may come back. */
export function isTransient(error: unknown): boolean {
  return (
    isDirectorError(error, 'DIRECTOR_UNAVAILABLE') ||
    isDirectorError(error, 'DIRECTOR_TIMEOUT') ||
    isDirectorError(error, 'DIRECTOR_ERROR') ||
    isDirectorError(error, 'BAD_RESPONSE')
  );
}

/** Failures of the poller's credentials, not of the Director: another subscriber's may work. */
export function isCredentialFailure(error: unknown): boolean {
  return isDirectorError(error, 'UNAUTHENTICATED') || isDirectorError(error, 'FORBIDDEN');
}

export function toStreamError(error: unknown): StreamError {
  if (error instanceof StreamError) return error;
  if (isDirectorError(error, 'UNAUTHENTICATED')) {
    return new StreamError(
      'UNAUTHENTICATED',
      'The Director no longer accepts these credentials.',
      undefined,
      {
        cause: error,
      },
    );
  }
  if (isDirectorError(error, 'FORBIDDEN')) {
    return new StreamError('FORBIDDEN', 'These credentials may not read this task.', undefined, {
      cause: error,
    });
  }
  if (isDirectorError(error, 'NOT_FOUND')) {
    return new StreamError('NOT_FOUND', 'The Director has no such task.', undefined, { cause: error });
  }
  if (isTransient(error)) {
    return new StreamError(
      'DIRECTOR_UNAVAILABLE',
      'The Director stayed unreachable; resume with the last cursor.',
      undefined,
      {
        cause: error,
      },
    );
  }
  return new StreamError('DIRECTOR_ERROR', 'The task stream failed.', undefined, { cause: error });
}
