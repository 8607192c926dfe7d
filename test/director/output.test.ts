import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient, DirectorResponseTooLargeError, isDirectorError } from '../../src/director/index.js';
import { json, rangedOutput, type StubDirector, startStub, text } from '../helpers/stub-director.js';
import { rackOutput } from './fixtures.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';

describe('readTaskOutput', () => {
  let stub: StubDirector;
  let client: DirectorClient;

  beforeEach(async () => {
    stub = await startStub();
    client = new DirectorClient({ url: stub.url, sleep: async () => {} });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  it('asks for the bytes from an offset with Range: bytes=N- and returns the 206 slice', async () => {
    stub.on(
      'GET /tasks/5/output',
      rangedOutput(() => 'hello output'),
    );
    const read = await client.forCaller(AUTH).readTaskOutput(5, 'event', 6);
    expect(stub.requests[0]?.url).toBe('/tasks/5/output?type=event');
    expect(stub.requests[0]?.headers.range).toBe('bytes=6-');
    expect(read).toEqual({ status: 206, body: Buffer.from('output'), start: 6, total: 12 });
  });

  it('asks for at most a chunk with Range: bytes=N-M, and takes an end past the output clamped', async () => {
    stub.on(
      'GET /tasks/5/output',
      rackOutput(() => 'hello output'),
    );
    const api = client.forCaller(AUTH);
    expect(await api.readTaskOutput(5, 'debug', 2, 5)).toEqual({
      status: 206,
      body: Buffer.from('llo '),
      start: 2,
      total: 12,
    });
    expect(await api.readTaskOutput(5, 'debug', 10, 1000)).toEqual({
      status: 206,
      body: Buffer.from('ut'),
      start: 10,
      total: 12,
    });
    expect(await api.readTaskOutput(5, 'debug', 12, 20)).toMatchObject({ status: 416, start: 12, total: 12 });
    expect(stub.requests.map((r) => r.headers.range)).toEqual(['bytes=2-5', 'bytes=10-1000', 'bytes=12-20']);
  });

  it('refuses a range end before its start without sending anything', async () => {
    const api = client.forCaller(AUTH);
    await expect(api.readTaskOutput(5, 'event', 10, 9)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.readTaskOutput(5, 'event', 0, 1.5)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(stub.requests).toHaveLength(0);
  });

  it('treats 416 as nothing new, not an error', async () => {
    stub.on(
      'GET /tasks/5/output',
      rangedOutput(() => 'hello'),
    );
    const read = await client.forCaller(AUTH).readTaskOutput(5, 'event', 5);
    expect(read).toEqual({ status: 416, body: Buffer.alloc(0), start: 5, total: 5 });
  });

  it('returns a 200 as the whole output starting at byte 0, even when Range was ignored', async () => {
    stub.on('GET /tasks/5/output', text(200, 'all of it'));
    const read = await client.forCaller(AUTH).readTaskOutput(5, 'debug', 4);
    expect(read).toEqual({ status: 200, body: Buffer.from('all of it'), start: 0, total: 9 });
  });

  it('returns an empty 200 as an empty output', async () => {
    stub.on(
      'GET /tasks/5/output',
      rangedOutput(() => ''),
    );
    const read = await client.forCaller(AUTH).readTaskOutput(5, 'event', 0);
    expect(read).toMatchObject({ status: 200, start: 0, total: 0 });
    expect(read.body).toHaveLength(0);
  });

  it('returns a 204 as no output at all', async () => {
    stub.on('GET /tasks/5/output', text(204, ''));
    const read = await client.forCaller(AUTH).readTaskOutput(5, 'cpi', 3);
    expect(read).toEqual({ status: 204, body: Buffer.alloc(0), start: 3 });
  });

  it('sends no Range when no offset is given', async () => {
    stub.on(
      'GET /tasks/5/output',
      rangedOutput(() => 'x'),
    );
    await client.forCaller(AUTH).readTaskOutput(5, 'result');
    expect(stub.requests[0]?.headers.range).toBeUndefined();
  });

  it.each([
    ['a Content-Range that starts elsewhere', { 'content-range': 'bytes 2-4/5' }, 'abc'],
    ['no Content-Range', {}, 'abc'],
    ['a body shorter than its Content-Range', { 'content-range': 'bytes 1-9/10' }, 'abc'],
  ])('calls a 206 with %s a bad response', async (_what, headers, body) => {
    stub.on('GET /tasks/5/output', text(206, body, headers));
    await expect(client.forCaller(AUTH).readTaskOutput(5, 'event', 1)).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
    });
  });

  it('reads a whole output as text without Range, a 204 being empty', async () => {
    stub.on('GET /tasks/5/output', text(200, 'line 1\nline 2\n'), text(204, ''));
    const api = client.forCaller(AUTH);
    expect(await api.getTaskOutput(5, 'result')).toBe('line 1\nline 2\n');
    expect(await api.getTaskOutput(5, 'result')).toBe('');
    expect(stub.requests.every((r) => r.headers.range === undefined)).toBe(true);
  });

  describe('over maxResponseBytes', () => {
    const BIG = Buffer.alloc(4096, 'x');
    let small: DirectorClient;
    beforeEach(() => {
      small = new DirectorClient({ url: stub.url, sleep: async () => {}, maxResponseBytes: 1000 });
    });
    afterEach(() => small.close());

    it.each([
      ['with a Content-Length', text(200, BIG)],
      [
        'sent chunked, without a Content-Length',
        (_req: unknown, res: import('node:http').ServerResponse) => {
          res.writeHead(200, { 'content-type': 'text/plain;charset=utf-8' });
          for (let i = 0; i < 4; i++) res.write(BIG.subarray(i * 1024, (i + 1) * 1024));
          res.end();
        },
      ],
    ])(
      'fails a whole output %s with RESPONSE_TOO_LARGE, once, not as a bad response to retry',
      async (_what, handler) => {
        stub.on('GET /tasks/5/output', handler);
        const error = await small
          .forCaller(AUTH)
          .getTaskOutput(5, 'debug')
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DirectorResponseTooLargeError);
        expect(error).toMatchObject({
          code: 'RESPONSE_TOO_LARGE',
          limit: 1000,
          route: 'GET /tasks/:id/output',
        });
        expect(isDirectorError(error, 'BAD_RESPONSE')).toBe(false);
        expect(stub.requests).toHaveLength(1);
      },
    );

    it('fails an open-ended ranged read of a larger output the same way', async () => {
      stub.on(
        'GET /tasks/5/output',
        rackOutput(() => BIG),
      );
      await expect(small.forCaller(AUTH).readTaskOutput(5, 'debug', 0)).rejects.toMatchObject({
        code: 'RESPONSE_TOO_LARGE',
      });
      expect(stub.requests).toHaveLength(1);
    });
  });

  it('maps a 401 with code 600000 (no permission on this output type) to FORBIDDEN', async () => {
    stub.on('GET /tasks/5/output', json(401, { code: 600000, description: 'Unknown type' }));
    await expect(client.forCaller(AUTH).readTaskOutput(5, 'debug', 0)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      directorCode: 600000,
      status: 401,
    });
  });
});
