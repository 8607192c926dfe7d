/**
 * Compressed responses (`compression.ts`): GraphiQL compressed once with strong ETags (a reload is
 * a 304), large JSON answers compressed when the client accepts it, small answers, clients that do
 * not ask, and subscription streams left as they are.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, negotiateCoding } from '../../src/server/compression.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with exactly these headers; the body as it came over the wire (no decoding). */
function raw(url: string, method: string, headers: Record<string, string>, payload?: unknown): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const decode = (answer: Raw) =>
  answer.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(answer.body)
    : answer.headers['content-encoding'] === 'gzip'
      ? gunzipSync(answer.body)
      : answer.body;

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway({ graphiql: true });
  url = await gw.listen();
});
afterAll(() => gw?.close());

describe('negotiateCoding', () => {
  it('prefers brotli, honours q-values and refusals, and sends nothing unasked', () => {
    expect(negotiateCoding(undefined)).toBeUndefined();
    expect(negotiateCoding('')).toBeUndefined();
    expect(negotiateCoding('identity')).toBeUndefined();
    expect(negotiateCoding('gzip, deflate, br')).toBe('br');
    expect(negotiateCoding('gzip, deflate')).toBe('gzip');
    expect(negotiateCoding('br;q=0, gzip')).toBe('gzip');
    expect(negotiateCoding('br;q=0.5, gzip;q=0.8')).toBe('gzip');
    expect(negotiateCoding('gzip;q=0, br;q=0')).toBeUndefined();
    expect(negotiateCoding('*')).toBe('br');
    expect(negotiateCoding('*;q=0, gzip')).toBe('gzip');
  });
});

describe('GraphiQL', () => {
  const page = (headers: Record<string, string>) => raw(url, 'GET', { accept: 'text/html', ...headers });

  it('is sent with brotli or gzip when accepted, the same page as the uncompressed one', async () => {
    const plain = await page({});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toMatch(/<html/i);
    const br = await page({ 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(decode(br).equals(plain.body)).toBe(true);
    const gzip = await page({ 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decode(gzip).equals(plain.body)).toBe(true);
    for (const answer of [plain, br, gzip]) {
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    }
  });

  it('has a strong ETag per coding, and a reload that sends it back gets a 304 with no body', async () => {
    const first = await page({ 'accept-encoding': 'br' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const plainEtag = (await page({})).headers.etag!;
    expect(plainEtag).not.toBe(etag);
    const reload = await page({ 'accept-encoding': 'br', 'if-none-match': etag });
    expect(reload.status).toBe(304);
    expect(reload.body.length).toBe(0);
    expect(reload.headers.etag).toBe(etag);
    // Another coding's validator is another representation's: the page is sent.
    const other = await page({ 'accept-encoding': 'br', 'if-none-match': plainEtag });
    expect(other.status).toBe(200);
    expect(decode(other).length).toBeGreaterThan(0);
  });
});

describe('JSON answers', () => {
  // The schema's types with their descriptions: several KiB, and no Director call.
  const LARGE = '{ __schema { types { name description } } }';
  const post = (query: string, headers: Record<string, string>) =>
    raw(
      url,
      'POST',
      { 'content-type': 'application/json', accept: 'application/json', ...headers },
      { query },
    );

  it('are compressed when large and accepted, and decompress to the uncompressed answer', async () => {
    const plain = await post(LARGE, {});
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    expect(plain.headers['content-encoding']).toBeUndefined();
    for (const [accepted, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const answer = await post(LARGE, { 'accept-encoding': accepted });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBe(coding);
      expect(answer.headers['content-type']).toBe(plain.headers['content-type']);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(answer.body.length).toBeLessThan(plain.body.length);
      expect(decode(answer).toString('utf8')).toBe(plain.body.toString('utf8'));
    }
  });

  it('say Vary: Accept-Encoding on a GET, which caches may keep, compressed or not', async () => {
    const get = await raw(`${url}?query=${encodeURIComponent(LARGE)}`, 'GET', { accept: 'application/json' });
    expect(get.status).toBe(200);
    expect(get.headers['content-encoding']).toBeUndefined();
    expect(get.headers.vary).toMatch(/accept-encoding/i);
  });

  it('are not compressed when small, nor for a client that does not accept a coding', async () => {
    const small = await post('{ __typename }', { 'accept-encoding': 'gzip, br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString('utf8')).toBe('{"data":{"__typename":"Query"}}');
    const refused = await post(LARGE, { 'accept-encoding': 'identity, br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString('utf8')).data.__schema.types.length).toBeGreaterThan(10);
  });

  it('are sent as they are when --no-compress-answers turned compression off, GraphiQL still compressed', async () => {
    const plainGw = await startTestGateway({ graphiql: true, compressAnswers: false });
    try {
      const plainUrl = await plainGw.listen();
      const answer = await raw(
        plainUrl,
        'POST',
        { 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'gzip, br' },
        { query: LARGE },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
      expect(JSON.parse(answer.body.toString('utf8')).data.__schema.types.length).toBeGreaterThan(10);
      // A GET takes yoga's full path (the POST above, the direct path): neither compresses.
      const get = await raw(`${plainUrl}?query=${encodeURIComponent(LARGE)}`, 'GET', {
        accept: 'application/json',
        'accept-encoding': 'gzip, br',
      });
      expect(get.status).toBe(200);
      expect(get.headers['content-encoding']).toBeUndefined();
      expect(get.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
      const page = await raw(plainUrl, 'GET', { accept: 'text/html', 'accept-encoding': 'br' });
      expect(page.headers['content-encoding']).toBe('br');
    } finally {
      await plainGw.close();
    }
  });

  it('leave a subscription stream (SSE) uncompressed, its events as they happen', async () => {
    const controller = new AbortController();
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          agent: false,
          signal: controller.signal,
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            'accept-encoding': 'gzip, br',
            authorization: gw.sim.basicAuth('admin'),
          },
        },
        resolve,
      );
      req.on('error', (error) => (controller.signal.aborted ? undefined : reject(error)));
      req.end(JSON.stringify({ query: 'subscription { runningTasks { id } }' }));
    });
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    // yoga marks its streams `none`, which proxies read as "do not compress".
    expect(['none', undefined]).toContain(response.headers['content-encoding']);
    const first = await new Promise<string>((resolve) =>
      response.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(first).toMatch(/^(:|event:|data:)/m);
    controller.abort();
  });
});
