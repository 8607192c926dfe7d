/**
 * Client-credentials tokens from the Director's UAA (docs/director-api-notes.md §6), for calls made
 * as the configured client in UAA mode. One token is shared by every such call, fetched once even
 * when many calls want it at the same time, and renewed shortly before it expires.
 */
import { DIRECTOR_DEFAULTS } from './defaults.js';
import { DirectorBadResponseError, DirectorUnauthenticatedError } from './errors.js';
import type { Transport } from './http.js';
import { makeRedactor } from './redact.js';
import { errorFromResponse } from './response-errors.js';
import { isObject, parseJsonBody } from './shapes.js';

export const TOKEN_ROUTE = 'POST /oauth/token';

export interface UaaTokensOptions {
  clientId: string;
  clientSecret: string;
  transport: Transport;
  now: () => number;
  /** @default 30000 */
  refreshEarlyMs?: number;
  /** @default 0.1 */
  refreshEarlyFraction?: number;
}

interface Token {
  /** The Authorization header value, `<token_type> <access_token>`. */
  header: string;
  refreshAt: number;
}

export class UaaTokens {
  readonly #options: UaaTokensOptions;
  #current: Token | undefined;
  #pending: Promise<Token> | undefined;

  constructor(options: UaaTokensOptions) {
    this.#options = options;
  }

  /** An Authorization header value with a token that is not about to expire. */
  async header(uaa: URL): Promise<string> {
    const current = this.#current;
    if (current && this.#options.now() < current.refreshAt) return current.header;
    if (!this.#pending) {
      this.#pending = this.#exchange(uaa).then(
        (token) => {
          this.#current = token;
          this.#pending = undefined;
          return token;
        },
        (error: unknown) => {
          this.#pending = undefined;
          throw error;
        },
      );
    }
    return (await this.#pending).header;
  }

  /** The Director refused `header` as unauthenticated: forget it so the next call fetches a new one. */
  invalidate(header: string): void {
    if (this.#current?.header === header) this.#current = undefined;
  }

  async #exchange(uaa: URL): Promise<Token> {
    const { clientId, clientSecret, transport, now } = this.#options;
    const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    const base = uaa.pathname.replace(/\/+$/, '');
    const obtainedAt = now();
    const response = await transport.send({
      method: 'POST',
      route: TOKEN_ROUTE,
      origin: uaa.origin,
      path: `${base}/oauth/token`,
      authorization: basic,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
    });
    if (response.status === 401 || response.status === 400) {
      throw new DirectorUnauthenticatedError('UAA did not accept the configured client credentials', {
        route: TOKEN_ROUTE,
        status: response.status,
      });
    }
    if (response.status !== 200) {
      throw errorFromResponse(response, TOKEN_ROUTE, makeRedactor([basic, clientSecret]));
    }
    const body = parseJsonBody(response, TOKEN_ROUTE);
    if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token === '') {
      throw new DirectorBadResponseError('UAA answered without an access token', {
        route: TOKEN_ROUTE,
        status: response.status,
      });
    }
    const type = typeof body.token_type === 'string' && body.token_type !== '' ? body.token_type : 'bearer';
    const lifetimeMs =
      typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 0;
    const early = Math.min(
      this.#options.refreshEarlyMs ?? DIRECTOR_DEFAULTS.tokenRefreshEarlyMs,
      lifetimeMs * (this.#options.refreshEarlyFraction ?? DIRECTOR_DEFAULTS.tokenRefreshEarlyFraction),
    );
    return { header: `${type} ${body.access_token}`, refreshAt: obtainedAt + lifetimeMs - early };
  }
}
