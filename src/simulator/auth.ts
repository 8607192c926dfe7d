/**
 * Authentication as the Director's identity providers do it. In basic mode only
 * `Authorization: Basic` is understood; in UAA mode only `bearer` tokens (any letter case). A
 * header of the other kind counts as no credentials at all.
 */
import type { TokenIssuer } from './uaa.js';
import { findUser, type Identity } from './users.js';

export function authenticate(
  mode: 'basic' | 'uaa',
  issuer: TokenIssuer,
  authorization: string | undefined,
): Identity | null {
  if (!authorization) return null;
  const space = authorization.indexOf(' ');
  if (space < 0) return null;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (mode === 'basic' && scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    const user = findUser(decoded.slice(0, colon));
    if (!user || user.username !== decoded.slice(0, colon) || user.password !== decoded.slice(colon + 1))
      return null;
    return { username: user.username, scopes: [...user.scopes] };
  }
  if (mode === 'uaa' && scheme === 'bearer') return issuer.verifyAccess(value);
  return null;
}

/** `Basic base64(user:password)`. */
export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
