/**
 * A small UAA on the Director's own port, for `auth: 'uaa'`. Tokens are JWT-shaped (HS256 with a
 * per-process random key), carry `scope`, `user_name` or `client_id`, `jti` and `exp`, and expire
 * on the simulator's clock, so a test with a manual clock can step past expiry.
 *
 * Real Directors reject refresh tokens presented as access tokens (their `jti` ends in `-r`);
 * this one does too.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from './clock.js';
import type { Identity } from './users.js';
import { findUser } from './users.js';

/** The client the bosh CLI uses by default for password and refresh grants (empty secret). */
export const CLI_CLIENT = 'bosh_cli';

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  jti: string;
  refresh_token?: string;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class TokenIssuer {
  private readonly key = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    /** Access token lifetime. */
    readonly ttlSeconds: number,
    private readonly issuerUrl: () => string,
  ) {}

  private sign(payload: Record<string, unknown>): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sim-key-1' }));
    const body = b64url(JSON.stringify(payload));
    const sig = createHmac('sha256', this.key).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  /** Mints an access token (and a refresh token for user grants). */
  mint(opts: { clientId: string; user?: string; scopes: string[]; grantType: string }): TokenResponse {
    const iat = Math.floor(this.clock.now() / 1000);
    const jti = randomUUID().replaceAll('-', '');
    const common = {
      sub: opts.user ?? opts.clientId,
      scope: opts.scopes,
      client_id: opts.clientId,
      cid: opts.clientId,
      azp: opts.clientId,
      grant_type: opts.grantType,
      ...(opts.user ? { user_name: opts.user, user_id: opts.user, origin: 'uaa' } : {}),
      iat,
      iss: `${this.issuerUrl()}/oauth/token`,
      zid: 'uaa',
      aud: [...new Set(opts.scopes.map((s) => s.split('.')[0] ?? s)), opts.clientId],
    };
    const response: TokenResponse = {
      access_token: this.sign({ jti, ...common, exp: iat + this.ttlSeconds }),
      token_type: 'bearer',
      expires_in: this.ttlSeconds,
      scope: opts.scopes.join(' '),
      jti,
    };
    if (opts.user) response.refresh_token = this.sign({ jti: `${jti}-r`, ...common, exp: iat + 30 * 86400 });
    return response;
  }

  /** Decodes a token this issuer signed; null when forged, malformed or expired. */
  decode(token: string): Record<string, unknown> | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [head, body, sig] = parts as [string, string, string];
    const expected = createHmac('sha256', this.key).update(`${head}.${body}`).digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.clock.now()) return null;
    return payload;
  }

  /** The identity of a valid access token, as the Director sees it. */
  verifyAccess(token: string): Identity | null {
    const payload = this.decode(token);
    if (!payload || typeof payload.jti !== 'string' || payload.jti.endsWith('-r')) return null;
    const scopes = Array.isArray(payload.scope) ? payload.scope.filter((s) => typeof s === 'string') : [];
    const name = typeof payload.user_name === 'string' ? payload.user_name : payload.client_id;
    return typeof name === 'string' ? { username: name, scopes } : null;
  }
}

export type TokenRequestResult =
  | { ok: true; token: TokenResponse }
  | { ok: false; status: number; error: string; description: string };

/** Client secrets: every seeded user is also a client, plus `bosh_cli` with an empty secret. */
function clientScopes(clientId: string, secret: string): string[] | null {
  if (clientId === CLI_CLIENT) return secret === '' ? [] : null;
  const user = findUser(clientId);
  if (!user || user.username !== clientId || user.password !== secret) return null;
  return user.scopes;
}

/**
 * `POST /oauth/token` (form encoded). Client credentials come from HTTP Basic or from the
 * `client_id`/`client_secret` form fields, as UAA accepts both.
 */
export function handleTokenRequest(
  issuer: TokenIssuer,
  authorization: string | undefined,
  form: URLSearchParams,
): TokenRequestResult {
  let clientId = form.get('client_id') ?? '';
  let secret = form.get('client_secret') ?? '';
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    clientId = decodeURIComponent(colon < 0 ? decoded : decoded.slice(0, colon));
    secret = decodeURIComponent(colon < 0 ? '' : decoded.slice(colon + 1));
  }
  const scopes = clientScopes(clientId, secret);
  if (scopes === null)
    return { ok: false, status: 401, error: 'unauthorized', description: 'Bad credentials' };
  const grant = form.get('grant_type');
  if (grant === 'client_credentials') {
    if (clientId === CLI_CLIENT) {
      return {
        ok: false,
        status: 401,
        error: 'invalid_client',
        description: 'Unauthorized grant type: client_credentials',
      };
    }
    return { ok: true, token: issuer.mint({ clientId, scopes, grantType: grant }) };
  }
  if (grant === 'password') {
    const user = findUser(form.get('username') ?? '');
    if (!user || user.username !== form.get('username') || user.password !== form.get('password')) {
      return { ok: false, status: 401, error: 'unauthorized', description: 'Bad credentials' };
    }
    return {
      ok: true,
      token: issuer.mint({ clientId, user: user.username, scopes: user.scopes, grantType: grant }),
    };
  }
  if (grant === 'refresh_token') {
    const payload = issuer.decode(form.get('refresh_token') ?? '');
    const name = payload?.user_name;
    const user = typeof name === 'string' ? findUser(name) : undefined;
    if (!payload || typeof payload.jti !== 'string' || !payload.jti.endsWith('-r') || !user) {
      return { ok: false, status: 401, error: 'invalid_token', description: 'Invalid refresh token' };
    }
    return {
      ok: true,
      token: issuer.mint({ clientId, user: user.username, scopes: user.scopes, grantType: grant }),
    };
  }
  return {
    ok: false,
    status: 400,
    error: 'unsupported_grant_type',
    description: `Unsupported grant type: ${grant ?? ''}`,
  };
}
