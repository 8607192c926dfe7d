/**
 * The one boundary where failures become GraphQL errors. Director failures (typed DirectorErrors
 * from the client) map to stable `extensions.code`s; our own GraphQLErrors pass through; anything
 * else is masked, so no stack, upstream URL or credential ever reaches a client. The codes are
 * listed in the README.
 */
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import {
  type CredentialSource,
  DirectorCallBudgetError,
  type DirectorError,
  DirectorUnauthenticatedError,
  isDirectorError,
} from '../director/errors.js';

export type GatewayErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'TASK_NOT_CANCELLABLE'
  | 'DIFF_FAILED'
  | 'DIRECTOR_ERROR'
  | 'DIRECTOR_UNAVAILABLE'
  | 'DIRECTOR_TIMEOUT'
  | 'QUERY_TOO_COMPLEX'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'CANCELLED'
  | 'INTERNAL_SERVER_ERROR';

/** HTTP statuses yoga answers with when an error is the only outcome of the operation. */
const HTTP_STATUS: Partial<Record<GatewayErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  QUERY_TOO_COMPLEX: 400,
  TOO_MANY_SUBSCRIPTIONS: 429,
};

export function gatewayError(
  code: GatewayErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  const status = HTTP_STATUS[code];
  return createGraphQLError(message, {
    extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) },
  });
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return gatewayError('BAD_USER_INPUT', message, extensions);
}

export function isNotFound(error: unknown): boolean {
  return isDirectorError(error) && error.code === 'NOT_FOUND';
}

const MESSAGES: Record<string, [GatewayErrorCode, string]> = {
  UNAUTHENTICATED: ['UNAUTHENTICATED', 'The Director did not accept the credentials of this request.'],
  FORBIDDEN: ['FORBIDDEN', 'The Director refused: the caller lacks the scope for this.'],
  NOT_FOUND: ['NOT_FOUND', 'The Director has no such object.'],
  BAD_REQUEST: ['BAD_USER_INPUT', 'The Director rejected the request.'],
  DIRECTOR_ERROR: ['DIRECTOR_ERROR', 'The Director failed to answer this request.'],
  BAD_RESPONSE: ['DIRECTOR_ERROR', 'The Director sent an answer the gateway could not read.'],
  DIRECTOR_UNAVAILABLE: ['DIRECTOR_UNAVAILABLE', 'The Director cannot be reached.'],
  DIRECTOR_TIMEOUT: ['DIRECTOR_TIMEOUT', 'The Director did not answer in time.'],
  DIRECTOR_TLS_ERROR: ['DIRECTOR_UNAVAILABLE', "The Director's TLS certificate could not be verified."],
  TASK_FAILED: ['DIRECTOR_ERROR', 'A Director task this request needed did not succeed.'],
  RESPONSE_TOO_LARGE: [
    'DIRECTOR_ERROR',
    'The Director answer is larger than the gateway accepts (maxResponseBytes).',
  ],
  CALL_BUDGET_EXCEEDED: [
    'QUERY_TOO_COMPLEX',
    'This operation reached its limit of Director calls (--max-director-calls); ask for less at once.',
  ],
  DIFF_FAILED: ['DIFF_FAILED', 'The Director could not compute the diff.'],
  // Its client left: nobody is waiting for this answer.
  ABORTED: ['CANCELLED', 'The request ended before the Director answered.'],
};

/**
 * A DirectorError as a GraphQL error. The message is the Director's own description when it sent
 * one for a client mistake (400/404, safe to show), else a fixed sentence: 5xx and transport
 * errors can carry upstream details that clients must not see.
 */
/**
 * Who must act on refused credentials: the caller for its own, the operator for the gateway's
 * configured client (a caller cannot fix that by sending a header), the caller again when it sent
 * none and the gateway has no client to lend.
 */
const UNAUTHENTICATED_BY_SOURCE: Record<CredentialSource, string> = {
  forwarded: 'The Director did not accept the credentials of this request (unknown, expired or revoked).',
  configured:
    "The Director refused the gateway's configured client (BOSH_CLIENT and BOSH_CLIENT_SECRET): the gateway's operator must fix its credentials.",
  anonymous:
    'No credentials: send an Authorization header (a user and password, or a token). This gateway has no configured client.',
};

export function fromDirectorError(error: DirectorError): GraphQLError {
  const [code, generic] = MESSAGES[error.code] ?? [
    'DIRECTOR_ERROR',
    'The Director failed to answer this request.',
  ];
  const source = error instanceof DirectorUnauthenticatedError ? error.credentials : undefined;
  const fallback = source ? UNAUTHENTICATED_BY_SOURCE[source] : generic;
  // A diff's failure is the Director's reason (a release it cannot resolve, ...), scrubbed.
  const showDirectorText =
    code === 'BAD_USER_INPUT' || code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'DIFF_FAILED';
  const message = showDirectorText && error.message ? error.message : fallback;
  return gatewayError(code, message, {
    ...(error.directorCode !== undefined ? { directorCode: error.directorCode } : {}),
    ...(error instanceof DirectorCallBudgetError ? { directorCalls: { limit: error.limit } } : {}),
  });
}

/**
 * GraphQLErrors are told by name, not by `instanceof`: graphql ships a CommonJS and an ESM build,
 * and where both get loaded (vitest gives our modules the ESM one while yoga and the executor use
 * the CommonJS one) an error of one build is not an instance of the other's class. With
 * `instanceof`, every expected error (BAD_USER_INPUT, NOT_FOUND, ...) was masked as internal.
 */
function isGraphQLError(value: unknown): value is GraphQLError {
  return value instanceof Error && value.name === 'GraphQLError';
}

/**
 * yoga's `maskedErrors.maskError`: every error of every operation passes here once.
 */
export function maskError(error: unknown, message: string): Error {
  const original = isGraphQLError(error) ? (error.originalError ?? error) : error;
  if (isDirectorError(original)) {
    const mapped = fromDirectorError(original);
    if (isGraphQLError(error)) {
      // Built with yoga's own helper, so the error is of the graphql build yoga reads.
      return createGraphQLError(mapped.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: mapped.extensions,
      });
    }
    return mapped;
  }
  if (isGraphQLError(original)) return error as Error;
  const path = isGraphQLError(error) ? error.path : undefined;
  return createGraphQLError(message, { path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
