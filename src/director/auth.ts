/**
 * Where each request's Authorization comes from (docs/director-api-notes.md §6). Credentials are
 * bound to a caller, never held in module state:
 * - a caller's own header (Basic or bearer) is forwarded as-is;
 * - a caller without one acts as the configured client: `Basic base64(client:secret)` on a
 *   basic-auth Director, a client-credentials token on a UAA one;
 * - with neither, nothing is sent and the Director answers 401.
 */
import { type CredentialSource, DirectorBadResponseError, DirectorUnauthenticatedError } from './errors.js';
import type { WireInfo } from './types.js';
import type { UaaTokens } from './uaa.js';
import { DirectorUrlError, parseUaaUrl } from './url.js';

export type AuthMode = { type: 'basic' } | { type: 'uaa'; url: URL };

export interface Credentials {
  /** The Authorization value for the next request, or undefined to send none. */
  header(): Promise<string | undefined>;
  /**
   * The Director answered `used` with a plain-text 401. Returns true when asking `header()` again
   * may give a better value (a refreshed token); the request is then retried once.
   */
  rejected(used: string): boolean;
  /** Strings that must never appear in an error message. */
  readonly secrets: readonly string[];
  /** Whose credentials these are: a refused configured client is the operator's to fix. */
  readonly source: CredentialSource;
}

/** Header values that could split a request or smuggle another header are refused, not sent. */
const HEADER_VALUE = /^[\x21-\x7e][\x20-\x7e]*$/;

export function forwardedCredentials(header: string): Credentials {
  return {
    async header() {
      if (!HEADER_VALUE.test(header)) {
        throw new DirectorUnauthenticatedError('The Authorization header is malformed');
      }
      return header;
    },
    rejected: () => false,
    secrets: [header],
    source: 'forwarded',
  };
}

export const anonymousCredentials: Credentials = {
  header: async () => undefined,
  rejected: () => false,
  secrets: [],
  source: 'anonymous',
};

const INFO_ROUTE = 'GET /info';

/** The auth mode from an `/info` answer. */
export function authModeOf(info: WireInfo): AuthMode {
  const auth = info.user_authentication;
  if (auth.type !== 'uaa') return { type: 'basic' };
  const raw = auth.options.url ?? auth.options.urls?.[0];
  if (typeof raw !== 'string' || raw === '') {
    throw new DirectorBadResponseError('The Director uses UAA but /info names no UAA URL', {
      route: INFO_ROUTE,
    });
  }
  try {
    return { type: 'uaa', url: parseUaaUrl(raw) };
  } catch (error) {
    if (error instanceof DirectorUrlError) {
      throw new DirectorBadResponseError(`The UAA URL in /info is unusable: ${error.message}`, {
        route: INFO_ROUTE,
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The Director's auth mode, looked up once per client with an anonymous `GET /info`. It is a
 * property of the Director, not of a user, so sharing it between callers leaks nothing. A failed
 * lookup is not remembered.
 */
export class AuthModeLookup {
  readonly #fetchInfo: () => Promise<WireInfo>;
  #pending: Promise<AuthMode> | undefined;

  constructor(fetchInfo: () => Promise<WireInfo>) {
    this.#fetchInfo = fetchInfo;
  }

  get(): Promise<AuthMode> {
    if (!this.#pending) {
      const pending = this.#fetchInfo().then(authModeOf);
      pending.catch(() => {
        if (this.#pending === pending) this.#pending = undefined;
      });
      this.#pending = pending;
    }
    return this.#pending;
  }
}

export function configuredClientCredentials(
  client: string,
  secret: string,
  modes: AuthModeLookup,
  tokens: UaaTokens,
): Credentials {
  const basic = `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`;
  let lastMode: AuthMode | undefined;
  return {
    async header() {
      lastMode = await modes.get();
      return lastMode.type === 'uaa' ? tokens.header(lastMode.url) : basic;
    },
    rejected(used) {
      if (lastMode?.type !== 'uaa') return false;
      tokens.invalidate(used);
      return true;
    },
    secrets: [basic, secret],
    source: 'configured',
  };
}
