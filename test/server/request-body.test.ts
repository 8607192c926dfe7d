/**
 * The gateway reads a small declared POST body itself and hands it to yoga as a Buffer (so no
 * stream pipeline outlives the read, see request-body.ts); every other body is left to yoga.
 */
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readDeclaredBody } from '../../src/server/request-body.js';

type Seen = { arrived: boolean; body: unknown; rest: string };
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that runs readDeclaredBody(limit) on each request and reports what it saw. */
async function serve(limit: number): Promise<{ port: number; seen: Promise<Seen> }> {
  let report: (seen: Seen) => void = () => undefined;
  const seen = new Promise<Seen>((resolve) => {
    report = resolve;
  });
  server = createServer(async (req, res) => {
    const arrived = await readDeclaredBody(req, limit);
    const body = (req as IncomingMessage & { body?: unknown }).body;
    let rest = '';
    if (arrived && body === undefined) for await (const chunk of req) rest += chunk;
    report({ arrived, body, rest });
    res.end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

function post(port: number, body: string, headers: Record<string, string>) {
  const req = request({ port, host: '127.0.0.1', method: 'POST', headers });
  req.on('error', () => undefined);
  req.on('response', (res) => res.resume());
  req.end(body);
}

describe('readDeclaredBody', () => {
  it('reads a declared body within the limit into a Buffer on req.body', async () => {
    const { port, seen } = await serve(1024);
    const text = '{"query":"subscription { runningTasks { id } }","variables":{"é":1}}';
    post(port, text, { 'content-length': String(Buffer.byteLength(text)) });
    const { arrived, body } = await seen;
    expect(arrived).toBe(true);
    expect(Buffer.isBuffer(body)).toBe(true);
    expect((body as Buffer).toString('utf8')).toBe(text);
  });

  it('leaves a body over the limit, and one without a length, to the stream', async () => {
    for (const headers of [{ 'content-length': '2048' }, { 'transfer-encoding': 'chunked' }]) {
      const { port, seen } = await serve(1024);
      const text = 'x'.repeat(2048);
      post(port, text, headers);
      const { arrived, body, rest } = await seen;
      expect(arrived).toBe(true);
      expect(body).toBeUndefined();
      expect(rest).toBe(text);
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('says the client left when it goes before its body is complete', async () => {
    const { port, seen } = await serve(1024);
    const req = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      headers: { 'content-length': '500' },
    });
    req.on('error', () => undefined);
    req.write('{"query":');
    setTimeout(() => req.destroy(), 50);
    expect((await seen).arrived).toBe(false);
  });
});
