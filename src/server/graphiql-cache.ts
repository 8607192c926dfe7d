/**
 * GraphiQL with inlined assets is about 9 MB a page load: render it once, compress it once (brotli
 * and gzip), and give each representation a strong ETag. Browsers revalidate on every load
 * (`no-cache`), so a reload is a 304 with no body, and a new gateway version is seen at once.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchesEtag, negotiateCoding, type StaticAsset, staticAsset } from './compression.js';
import { withGatewayFetcher } from './graphiql-fetcher.js';
import type { GatewayYoga } from './yoga.js';

export function wantsGraphiQL(req: IncomingMessage, endpoint: string): boolean {
  if (req.method !== 'GET') return false;
  const path = (req.url ?? '/').split('?')[0];
  if (path !== endpoint) return false;
  const accept = req.headers.accept ?? '';
  // Same rule as yoga's: GraphiQL is for browsers; API clients asking for JSON or SSE pass on.
  return accept.includes('text/html') && !(req.url ?? '').includes('query=');
}

export function createGraphiQLHandler(yoga: GatewayYoga) {
  let page: Promise<StaticAsset | undefined> | undefined;
  const render = async () => {
    const response = await yoga.fetch(`http://gateway${yoga.graphqlEndpoint}`, {
      headers: { accept: 'text/html' },
    });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/html')) return undefined;
    // GraphiQL gets the gateway's fetcher (graphiql-fetcher.ts): an empty tab shows no stack trace.
    return staticAsset(Buffer.from(withGatewayFetcher(await response.text(), yoga.graphqlEndpoint), 'utf8'));
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    page ??= render();
    const asset = await page;
    if (!asset) return false;
    const coding = negotiateCoding(req.headers['accept-encoding']);
    const etag = asset.etags[coding ?? 'identity'];
    const headers = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      etag,
      vary: 'accept-encoding',
    };
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const body = asset[coding ?? 'identity'];
    res.writeHead(200, {
      ...headers,
      'content-length': body.length,
      ...(coding ? { 'content-encoding': coding } : {}),
    });
    res.end(body);
    return true;
  };
}
