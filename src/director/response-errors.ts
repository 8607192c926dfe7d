/**
 * Turns a Director answer that is not the route's success into a typed error
 * (docs/director-api-notes.md §5). Bodies are read by status and shape, never by Content-Type:
 * JSON errors arrive labelled `text/html;charset=utf-8` (§8).
 */
import {
  DirectorBadRequestError,
  DirectorBadResponseError,
  type DirectorError,
  type DirectorErrorDetails,
  DirectorForbiddenError,
  DirectorNotFoundError,
  DirectorServerError,
  DirectorUnauthenticatedError,
} from './errors.js';
import type { Redactor } from './redact.js';

export interface DirectorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The Director's error code for "you may not do this", sent with HTTP 401. */
export const FORBIDDEN_DIRECTOR_CODE = 600000;
/** Descriptions longer than this are cut: they become messages, not documents. */
const MAX_MESSAGE_LENGTH = 500;

interface ParsedErrorBody {
  directorCode?: number;
  description?: string;
}

/** `{"code":N,"description":"..."}` when the body is that, else the plain text (if any). */
export function parseErrorBody(body: Buffer): ParsedErrorBody {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object') {
        const { code, description, error } = parsed as {
          code?: unknown;
          description?: unknown;
          error?: unknown;
        };
        // A few routes answer `{"error": "..."}` instead (config diffs, certificate expiry), at
        // times followed by a Ruby backtrace: its first line is the message.
        const said =
          typeof description === 'string'
            ? description
            : typeof error === 'string'
              ? error.split('\n')[0]
              : error;
        return {
          ...(typeof code === 'number' ? { directorCode: code } : {}),
          ...(typeof said === 'string' ? { description: said } : {}),
        };
      }
    } catch {
      // Not JSON after all: fall through to plain text.
    }
  }
  return { description: text };
}

/**
 * A 401 means "unauthenticated" only with a plain-text body; with JSON code 600000 it means
 * "forbidden" (§5). Only the former is worth retrying with fresh credentials.
 */
export function isUnauthenticated401(response: DirectorResponse): boolean {
  return response.status === 401 && parseErrorBody(response.body).directorCode === undefined;
}

function oneLine(text: string, redact: Redactor): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH)}…` : flat;
}

export function errorFromResponse(
  response: DirectorResponse,
  route: string,
  redact: Redactor,
): DirectorError {
  const { status } = response;
  const { directorCode, description } = parseErrorBody(response.body);
  const details: DirectorErrorDetails = { status, directorCode, route };
  const said = description === undefined ? undefined : oneLine(description, redact);

  if (status === 401 && directorCode === undefined) {
    return new DirectorUnauthenticatedError(
      'The Director did not accept the credentials (missing, wrong or expired)',
      details,
    );
  }
  if (status === 401 || status === 403) {
    return new DirectorForbiddenError(said || `Not allowed: ${route}`, details);
  }
  if (status === 404) return new DirectorNotFoundError(said || `Not found: ${route}`, details);
  if (status >= 400 && status < 500) {
    return new DirectorBadRequestError(said || `The Director refused ${route} (HTTP ${status})`, details);
  }
  if (status >= 500) {
    return new DirectorServerError(
      said || `The Director failed on ${route} (HTTP ${status}, no details: see the Director's log)`,
      details,
    );
  }
  return new DirectorBadResponseError(`Unexpected HTTP ${status} from ${route}`, details);
}
