/**
 * Which web pages may call the gateway from a browser: pages of its own origin (GraphiQL), and
 * pages of the origins in `--cors-origin`. Requests without credentials act as the configured
 * client, so a page of any other origin must not get to send operations (CSRF) or read answers
 * (CORS). The HTTP rules (CORS and CSRF prevention) are in `cross-site.ts`; the WebSocket rule is
 * in `ws.ts`; both ask this policy.
 */
import { isIP } from 'node:net';

/** `Origin` as browsers serialise it (`https://app.example.com`), or undefined when it is none. */
function serialised(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    // `null` (sandboxed frames, some redirects) and anything malformed.
    return undefined;
  }
}

/** Host names no one else can point at the gateway: IP literals and `localhost`. */
function unrebindable(hostname: string): boolean {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) !== 0 || bare === 'localhost';
}

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  /** @param allowed Origins like `https://app.example.com`, e.g. `ServeConfig.corsOrigins`. */
  constructor(allowed: readonly string[] = []) {
    this.allowed = new Set(allowed.map(serialised).filter((o): o is string => o !== undefined));
  }

  /** True when any origin is allowed besides the gateway's own. */
  get hasAllowList(): boolean {
    return this.allowed.size > 0;
  }

  /** True for an origin in the allow-list. */
  isAllowed(origin: string): boolean {
    const normal = serialised(origin);
    return normal !== undefined && this.allowed.has(normal);
  }

  /**
   * True for the gateway's own origin: the one whose host and port are those the request was sent
   * to (its `Host` header). The scheme is not compared: behind a TLS proxy pages come from https.
   *
   * Only when that host is an IP address or `localhost`: a DNS name could be rebound by its owner
   * to the gateway's address (DNS rebinding), making an attacker's page look same-origin. A
   * gateway reached by name lists its origin in `--cors-origin`.
   */
  isOwn(origin: string, host: string | undefined): boolean {
    const normal = serialised(origin);
    if (normal === undefined || !host) return false;
    const url = new URL(normal);
    try {
      const target = new URL(`${url.protocol}//${host}`);
      return target.host === url.host && unrebindable(target.hostname);
    } catch {
      return false;
    }
  }

  /**
   * True when a browser may talk to the gateway under this `Host` at all: an IP address or
   * `localhost` (no one else can point those at the gateway), or the host of an allow-listed
   * origin. Any other name may be an attacker's, rebound to the gateway's address: the page is
   * then same-origin to the browser, which sends no `Origin` on its GETs and lets it add any
   * header, so this is the only check that holds (DNS rebinding).
   */
  acceptsHost(host: string | undefined): boolean {
    if (!host) return false;
    try {
      const target = new URL(`http://${host}`);
      if (unrebindable(target.hostname)) return true;
      for (const origin of this.allowed) if (new URL(origin).host === target.host) return true;
      return false;
    } catch {
      return false;
    }
  }

  /** True for the gateway's own origin and for the allow-list. */
  accepts(origin: string, host: string | undefined): boolean {
    return this.isOwn(origin, host) || this.isAllowed(origin);
  }
}
