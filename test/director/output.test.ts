import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient } from '../../src/director/index.js';
import { json, rangedOutput, type StubDirector, startStub, text } from '../helpers/stub-director.js';

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

  it('maps a 401 with code 600000 (no permission on this output type) to FORBIDDEN', async () => {
    stub.on('GET /tasks/5/output', json(401, { code: 600000, description: 'Unknown type' }));
    await expect(client.forCaller(AUTH).readTaskOutput(5, 'debug', 0)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      directorCode: 600000,
      status: 401,
    });
  });
});
