import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DirectorApi, DirectorClient, OutputTail } from '../../src/director/index.js';
import { rangedOutput, type StubDirector, startStub, text } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';

describe('OutputTail', () => {
  let stub: StubDirector;
  let client: DirectorClient;
  let api: DirectorApi;
  let content: Buffer;

  beforeEach(async () => {
    stub = await startStub();
    client = new DirectorClient({ url: stub.url, sleep: async () => {} });
    api = client.forCaller(AUTH);
    content = Buffer.alloc(0);
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  const ranges = () => stub.requests.map((r) => r.headers.range);

  it('hands on whole lines only and holds a partial line back until its newline arrives', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    const tail = new OutputTail(9, 'event');
    content = Buffer.from('{"a":1}\n{"b"');
    expect(await tail.poll(api)).toEqual([{ text: '{"a":1}', start: 0, end: 8 }]);
    expect(tail.offset).toBe(8);
    content = Buffer.from('{"a":1}\n{"b":2}\n');
    expect(await tail.poll(api)).toEqual([{ text: '{"b":2}', start: 8, end: 16 }]);
    expect(tail.offset).toBe(16);
    expect(ranges()).toEqual(['bytes=0-', 'bytes=12-']);
    expect(stub.requests[0]?.url).toBe('/tasks/9/output?type=event');
  });

  it('keeps a multi-byte character split across two reads intact and counts bytes, not characters', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    const whole = Buffer.from('héllo wörld\nnext\n');
    const tail = new OutputTail(9, 'debug');
    content = whole.subarray(0, 2); // 'h' and the first byte of 'é'
    expect(await tail.poll(api)).toEqual([]);
    content = whole.subarray(0, 9); // splits 'ö' too
    expect(await tail.poll(api)).toEqual([]);
    content = whole;
    expect(await tail.poll(api)).toEqual([
      { text: 'héllo wörld', start: 0, end: 14 },
      { text: 'next', start: 14, end: 19 },
    ]);
    expect(tail.offset).toBe(whole.length);
    expect(ranges()).toEqual(['bytes=0-', 'bytes=2-', 'bytes=9-']);
  });

  it('returns nothing on a 416 and asks again from the same byte', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    content = Buffer.from('one\n');
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toHaveLength(1);
    expect(await tail.poll(api)).toEqual([]);
    expect(await tail.poll(api)).toEqual([]);
    expect(tail.offset).toBe(4);
    expect(stub.requests.map((r) => r.headers.range)).toEqual(['bytes=0-', 'bytes=4-', 'bytes=4-']);
  });

  it('never hands a line on twice when the server ignores Range and always sends everything', async () => {
    stub.on('GET /tasks/9/output', (req, res) => text(200, content)(req, res));
    const tail = new OutputTail(9, 'event');
    content = Buffer.from('a\nb');
    expect((await tail.poll(api)).map((l) => l.text)).toEqual(['a']);
    content = Buffer.from('a\nbc\nd\n');
    expect((await tail.poll(api)).map((l) => l.text)).toEqual(['bc', 'd']);
    expect(await tail.poll(api)).toEqual([]);
    expect(tail.offset).toBe(7);
  });

  it('treats an empty 200 and a 204 as no output yet', async () => {
    stub.on(
      'GET /tasks/9/output',
      text(204, ''),
      rangedOutput(() => content),
    );
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toEqual([]);
    expect(await tail.poll(api)).toEqual([]);
    content = Buffer.from('first\n');
    expect(await tail.poll(api)).toEqual([{ text: 'first', start: 0, end: 6 }]);
  });

  it('skips empty lines but counts their bytes in the offset', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    content = Buffer.from('a\n\n\nb\n\n');
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toEqual([
      { text: 'a', start: 0, end: 2 },
      { text: 'b', start: 4, end: 6 },
    ]);
    expect(tail.offset).toBe(7);
  });

  it('resumes from a given offset with lines numbered from there', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    content = Buffer.from('old\nnew\n');
    const tail = new OutputTail(9, 'event', 4);
    expect(await tail.poll(api)).toEqual([{ text: 'new', start: 4, end: 8 }]);
    expect(ranges()).toEqual(['bytes=4-']);
  });

  it('hands on the held-back bytes as a last line on flush', async () => {
    stub.on(
      'GET /tasks/9/output',
      rangedOutput(() => content),
    );
    content = Buffer.from('done\nno newline');
    const tail = new OutputTail(9, 'debug');
    await tail.poll(api);
    expect(tail.flush()).toEqual({ text: 'no newline', start: 5, end: 15 });
    expect(tail.offset).toBe(15);
    expect(tail.flush()).toBeUndefined();
  });

  it('refuses an offset that is not a non-negative integer', () => {
    expect(() => new OutputTail(9, 'event', -1)).toThrow(RangeError);
    expect(() => new OutputTail(9, 'event', 1.5)).toThrow(RangeError);
  });
});
