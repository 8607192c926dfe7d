/**
 * GraphiQL with inlined assets is about 9 MB a page load: render it once and send it gzipped
 * (about a fifth of that) to browsers that accept gzip.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
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
  let page: Promise<{ html: Buffer; gzipped: Buffer } | undefined> | undefined;
  const render = async () => {
    const response = await yoga.fetch(`http://gateway${yoga.graphqlEndpoint}`, {
      headers: { accept: 'text/html' },
    });
    if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/html')) return undefined;
    // GraphiQL gets the gateway's fetcher (graphiql-fetcher.ts): an empty tab shows no stack trace.
    const html = Buffer.from(withGatewayFetcher(await response.text(), yoga.graphqlEndpoint), 'utf8');
    return { html, gzipped: gzipSync(html, { level: 6 }) };
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    page ??= render();
    const rendered = await page;
    if (!rendered) return false;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? rendered.gzipped : rendered.html;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-cache',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
    return true;
  };
}
