/**
 * The HTTP side of the origin policy (`origins.ts`): CORS, and CSRF prevention.
 *
 * CORS: only allow-listed origins get CORS headers (with credentials); pages of the gateway's own
 * origin need none, and any other page cannot read an answer or pass a preflight.
 *
 * CSRF prevention (the rule of yoga's `useCSRFPrevention` and Apollo's `csrfPrevention`): a page
 * of any site can make a browser send a "simple" request, one that needs no CORS preflight, and
 * the gateway would run it as its configured client. So:
 * - a POST runs only when a preflight had to approve it first: a Content-Type other than the
 *   three a form can send (JSON is fine), or a header such as `x-graphql-yoga-csrf`;
 * - a GET (read-only: yoga refuses mutations over GET) is refused when the browser says a page of
 *   another origin sent it (`Origin`, else `Sec-Fetch-Site`), unless that origin is allow-listed.
 *   Clients that are not browsers send neither header, so `curl '...?query=...'` keeps working.
 */
import { createGraphQLError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import type { OriginPolicy } from './origins.js';

export const CROSS_SITE_REFUSED = 'CROSS_SITE_REFUSED';

/** Headers a page can only send after a preflight; any one of them marks a request as approved. */
export const PREFLIGHT_HEADERS = [
  'x-graphql-yoga-csrf',
  'graphql-require-preflight',
  'apollo-require-preflight',
];

/** The content types a form (or `fetch` with `mode: 'no-cors'`) sends without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

type GatewayCors = YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors'];

/** yoga's `cors`: CORS headers (with credentials) for allow-listed origins only. */
export function corsOptions(policy: OriginPolicy): GatewayCors {
  if (!policy.hasAllowList) return false;
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !policy.isAllowed(origin)) return false;
    return { origin: [origin], credentials: true, methods: ['GET', 'POST'], maxAge: 600 };
  };
}

function hostOf(request: Request): string {
  return request.headers.get('host') ?? new URL(request.url).host;
}

function mimeType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** True when the request says where it comes from, as browsers' requests do. */
function fromBrowser(request: Request): boolean {
  if (request.headers.has('origin')) return true;
  for (const name of request.headers.keys()) if (name.startsWith('sec-fetch-')) return true;
  return false;
}

/** True when a browser says a page of an origin the policy does not accept sent the request. */
function sentByForeignPage(request: Request, policy: OriginPolicy): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null) return !policy.accepts(origin, hostOf(request));
  const site = request.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}

function refused(message: string) {
  return createGraphQLError(message, {
    extensions: { code: CROSS_SITE_REFUSED, http: { status: 403 } },
  });
}

/** CSRF prevention, and `Vary: Origin` wherever CORS headers depend on the origin. */
export function useCrossSitePolicy(policy: OriginPolicy): Plugin {
  return {
    onRequestParse({ request }) {
      const method = request.method.toUpperCase();
      // First, for every browser request (one that says where it comes from): the Host must be
      // one no other site can point at the gateway (origins.ts, DNS rebinding). No header a page
      // can add, preflight or not, stands in for this.
      if (fromBrowser(request) && !policy.acceptsHost(hostOf(request))) {
        throw refused(
          "Refused: a browser reached the gateway under a host name that is not its own. List the gateway's public origin in --cors-origin (BOSH_GRAPHQL_CORS_ORIGINS) to use it by name.",
        );
      }
      if (
        (method === 'GET' || method === 'HEAD' || method === 'POST') &&
        sentByForeignPage(request, policy)
      ) {
        throw refused(
          'Refused: a web page of another origin sent this request. Only the origins in --cors-origin (BOSH_GRAPHQL_CORS_ORIGINS) may call the gateway from a browser.',
        );
      }
      // A preflight header proves the browser asked first; it stands in for a JSON body only.
      if (method === 'POST' && !PREFLIGHT_HEADERS.some((header) => request.headers.has(header))) {
        const type = mimeType(request);
        if (type === '' || SIMPLE_CONTENT_TYPES.has(type)) {
          throw refused(
            `Refused: a web page of any site could have sent this POST (Content-Type ${type || 'missing'}). Send JSON (Content-Type: application/json), or add an x-graphql-yoga-csrf header.`,
          );
        }
      }
    },
    onResponse({ response }) {
      if (!policy.hasAllowList) return;
      const vary = response.headers.get('vary') ?? '';
      if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) response.headers.append('vary', 'Origin');
    },
  };
}
