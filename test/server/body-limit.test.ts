/**
 * The request body limit (`body-limit.ts`): 413 past twice the manifest cap plus 64 KiB, whether
 * the client declares the length, streams the body chunked, or hands it to the handler in process.
 */
import http from 'node:http';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prereadBody } from '../../src/server/body-limit.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let url: string;
// 2 × 4 KiB + 64 KiB
const LIMIT = 2 * 4096 + 64 * 1024;
beforeAll(async () => {
  gw = await startTestGateway({ limits: { maxManifestBytes: 4096 } });
  url = await gw.listen();
});
afterAll(() => gw?.close());

const payload = (padding: number) =>
  JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(padding) } });

/** POSTs `body` in chunks of 16 KiB, with Content-Length or chunked; the status and body. */
function post(body: string, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (error) => reject(error));
    for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.slice(i, i + 16 * 1024));
    req.end();
  });
}

describe('the request body limit', () => {
  it('runs a body just under the limit, declared or chunked', async () => {
    const body = payload(LIMIT - 200);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(LIMIT);
    for (const chunked of [false, true]) {
      const answer = await post(body, chunked);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });
    }
  });

  it('answers 413 to a declared Content-Length past the limit', async () => {
    const answer = await post(payload(LIMIT + 10), false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('answers 413 to a chunked body once it grows past the limit', async () => {
    const answer = await post(payload(LIMIT + 10), true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
  });

  it('answers 413 to a body handed to the handler in process without a length', async () => {
    const response = await gw.runtime.gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: payload(LIMIT + 10),
    });
    expect(response.status).toBe(413);
  });

  it('answers 400 to a Content-Length that is no single number', async () => {
    const response = await gw.runtime.gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10, 10' },
      body: payload(0),
    });
    expect(response.status).toBe(400);
  });
});

describe('prereadBody', () => {
  const request = (method: string, headers: Record<string, string>) =>
    Object.assign(new PassThrough(), { method, headers }) as unknown as http.IncomingMessage &
      PassThrough & { body?: Buffer };

  it('hands a declared body within the limit over as req.body, in one Buffer', async () => {
    const req = request('POST', { 'content-length': '11' });
    const read = prereadBody(req, 100);
    req.write('hello ');
    req.end('world');
    expect(await read).toBe(true);
    expect(req.body?.toString('utf8')).toBe('hello world');
  });

  it('leaves chunked, too large, empty and GET bodies to the handler, unread', async () => {
    for (const [method, headers] of [
      ['POST', {}],
      ['POST', { 'content-length': '101' }],
      ['POST', { 'content-length': '0' }],
      ['GET', { 'content-length': '5' }],
    ] as const) {
      const req = request(method, headers);
      expect(await prereadBody(req, 100)).toBe(true);
      expect(req.body).toBeUndefined();
    }
  });

  it('answers false when the client leaves before its body is in', async () => {
    const req = request('POST', { 'content-length': '50' });
    const read = prereadBody(req, 100);
    req.write('partial');
    req.destroy();
    expect(await read).toBe(false);
    expect(req.body).toBeUndefined();
  });
});
