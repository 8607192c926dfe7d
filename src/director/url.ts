/**
 * Where the Director is, written the way bosh-cli users write it (docs/director-api-notes.md §1):
 * `10.0.0.6`, `bosh.example.com:25555` or `https://10.0.0.6:25555`. A missing scheme means https and
 * a missing port means 25555. Plain http is accepted only for loopback hosts, because credentials
 * travel with every request.
 */
import { isIP } from 'node:net';
import { DIRECTOR_DEFAULTS } from './defaults.js';

/** A Director or UAA address that cannot be used. The message names the problem, never credentials. */
export class DirectorUrlError extends Error {
  readonly code = 'INVALID_DIRECTOR_URL' as const;
  constructor(message: string) {
    super(message);
    this.name = 'DirectorUrlError';
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http may be used for. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Echo the input in messages only when it cannot hold credentials (`user:pass@host`). */
function shown(input: string): string {
  return input.includes('@') ? 'the value given' : `'${input}'`;
}

function authorityHasPort(input: string): boolean {
  const rest = input.replace(SCHEME, '');
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  return /:\d*$/.test(authority.replace(/^\[[^\]]*\]/, ''));
}

interface ParseOptions {
  /** Port used when the input has none; undefined keeps the scheme's default. */
  defaultPort?: number;
  /** Allow a path (a UAA may live under one); Directors never do. */
  allowPath?: boolean;
}

function parseHttpUrl(raw: string | URL, what: string, options: ParseOptions): URL {
  const input = String(raw).trim();
  if (input === '') throw new DirectorUrlError(`${what} is empty`);
  const hasScheme = SCHEME.test(input);
  let url: URL;
  try {
    url = new URL(hasScheme ? input : `https://${input}`);
  } catch {
    throw new DirectorUrlError(`${what} ${shown(input)} is not a URL or host name`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DirectorUrlError(`${what} must use https (got ${url.protocol.replace(':', '')})`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new DirectorUrlError(`${what} must not carry credentials; use the client settings instead`);
  }
  if (url.hostname === '') throw new DirectorUrlError(`${what} ${shown(input)} has no host`);
  if (url.search !== '' || url.hash !== '') {
    throw new DirectorUrlError(`${what} ${shown(input)} must not have a query or fragment`);
  }
  if (!options.allowPath && url.pathname !== '/' && url.pathname !== '') {
    throw new DirectorUrlError(`${what} ${shown(input)} must not have a path`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new DirectorUrlError(
      `${what} ${shown(input)} uses plain http, which is allowed only for loopback hosts; use https`,
    );
  }
  if (options.defaultPort !== undefined && !authorityHasPort(input)) url.port = String(options.defaultPort);
  return url;
}

/**
 * The Director's origin (`https://host:port`) from what a bosh-cli user would write.
 * @throws DirectorUrlError with a one-line reason.
 */
export function parseDirectorUrl(raw: string | URL): string {
  return parseHttpUrl(raw, 'Director URL', { defaultPort: DIRECTOR_DEFAULTS.port }).origin;
}

/** The UAA base URL that `/info` names, checked by the same rules (its port is its own). */
export function parseUaaUrl(raw: string): URL {
  return parseHttpUrl(raw, 'UAA URL', { allowPath: true });
}
