import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DirectorApi, DirectorClient, OutputTail } from '../../src/director/index.js';
import { type StubDirector, startStub, text } from '../helpers/stub-director.js';
import { rackOutput } from './fixtures.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';
/** The client's chunk in these tests: one read asks for at most this many bytes. */
const CHUNK = 100;

describe('OutputTail', () => {
  let stub: StubDirector;
  let client: DirectorClient;
  let api: DirectorApi;
  let content: Buffer;
  let served: { status: number; bytes: number }[];

  beforeEach(async () => {
    stub = await startStub();
    client = new DirectorClient({ url: stub.url, sleep: async () => {}, outputChunkBytes: CHUNK });
    api = client.forCaller(AUTH);
    content = Buffer.alloc(0);
    served = [];
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  const ranges = () => stub.requests.map((r) => r.headers.range);
  const serveRack = () =>
    stub.on(
      'GET /tasks/9/output',
      rackOutput(() => content, served),
    );

  it('hands on whole lines only and holds a partial line back until its newline arrives', async () => {
    serveRack();
    const tail = new OutputTail(9, 'event');
    content = Buffer.from('{"a":1}\n{"b"');
    expect(await tail.poll(api)).toEqual([{ text: '{"a":1}', start: 0, end: 8 }]);
    expect(tail.offset).toBe(8);
    content = Buffer.from('{"a":1}\n{"b":2}\n');
    expect(await tail.poll(api)).toEqual([{ text: '{"b":2}', start: 8, end: 16 }]);
    expect(tail.offset).toBe(16);
    expect(ranges()).toEqual(['bytes=0-99', 'bytes=12-111']);
    expect(stub.requests[0]?.url).toBe('/tasks/9/output?type=event');
  });

  it('keeps a multi-byte character split across two reads intact and counts bytes, not characters', async () => {
    serveRack();
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
    expect(ranges()).toEqual(['bytes=0-99', 'bytes=2-101', 'bytes=9-108']);
  });

  it('returns nothing on a 416 and asks again from the same byte', async () => {
    serveRack();
    content = Buffer.from('one\n');
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toHaveLength(1);
    expect(await tail.poll(api)).toEqual([]);
    expect(await tail.poll(api)).toEqual([]);
    expect(tail.offset).toBe(4);
    expect(ranges()).toEqual(['bytes=0-99', 'bytes=4-103', 'bytes=4-103']);
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
    // A 200 is the whole output: one request per poll, however large.
    expect(stub.requests).toHaveLength(3);
  });

  it('treats an empty 200 and a 204 as no output yet', async () => {
    stub.on(
      'GET /tasks/9/output',
      text(204, ''),
      rackOutput(() => content, served),
    );
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toEqual([]);
    expect(await tail.poll(api)).toEqual([]);
    content = Buffer.from('first\n');
    expect(await tail.poll(api)).toEqual([{ text: 'first', start: 0, end: 6 }]);
    expect(served.map((s) => s.status)).toEqual([200, 206]);
  });

  it('skips empty lines but counts their bytes in the offset', async () => {
    serveRack();
    content = Buffer.from('a\n\n\nb\n\n');
    const tail = new OutputTail(9, 'event');
    expect(await tail.poll(api)).toEqual([
      { text: 'a', start: 0, end: 2 },
      { text: 'b', start: 4, end: 6 },
    ]);
    expect(tail.offset).toBe(7);
  });

  it('resumes from a given offset with lines numbered from there', async () => {
    serveRack();
    content = Buffer.from('old\nnew\n');
    const tail = new OutputTail(9, 'event', 4);
    expect(await tail.poll(api)).toEqual([{ text: 'new', start: 4, end: 8 }]);
    expect(ranges()).toEqual(['bytes=4-103']);
  });

  it('hands on the held-back bytes as a last line on flush', async () => {
    serveRack();
    content = Buffer.from('done\nno newline');
    const tail = new OutputTail(9, 'debug');
    await tail.poll(api);
    expect(tail.flush()).toEqual({ text: 'no newline', start: 5, end: 15 });
    expect(tail.offset).toBe(15);
    expect(tail.flush()).toBeUndefined();
  });

  it('refuses an offset that is not a non-negative integer, and a chunk that is not positive', () => {
    expect(() => new OutputTail(9, 'event', -1)).toThrow(RangeError);
    expect(() => new OutputTail(9, 'event', 1.5)).toThrow(RangeError);
    expect(() => new OutputTail(9, 'event', 0, { chunkBytes: 0 })).toThrow(RangeError);
  });

  describe('an output larger than one chunk', () => {
    /** 40 lines of 7 to 12 bytes, some with multi-byte characters: 350-odd bytes, 4 chunks. */
    const LINES = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `zeile ${i} ü` : `line ${i}`));
    const LOG = Buffer.from(LINES.map((l) => `${l}\n`).join(''));

    it('is read in one poll of several bounded requests, every line whole, no byte twice', async () => {
      serveRack();
      content = LOG;
      const tail = new OutputTail(9, 'debug');
      const lines = await tail.poll(api);
      expect(lines.map((l) => l.text)).toEqual(LINES);
      expect(tail.offset).toBe(LOG.length);
      expect(tail.pendingBytes).toBe(0);
      // Each request starts where the bytes received so far end, a partial line included, and
      // asks for at most CHUNK bytes; the last one stops at the total the Content-Range gave.
      const expected: string[] = [];
      for (let from = 0; from < LOG.length; from += CHUNK) expected.push(`bytes=${from}-${from + CHUNK - 1}`);
      expect(expected.length).toBeGreaterThan(3);
      expect(ranges()).toEqual(expected);
      expect(served.every((s) => s.status === 206 && s.bytes <= CHUNK)).toBe(true);
      expect(served.reduce((sum, s) => sum + s.bytes, 0)).toBe(LOG.length);
      // Offsets are bytes: each line starts where the one before it ended.
      expect(lines.map((l) => l.start)).toEqual([0, ...lines.slice(0, -1).map((l) => l.end)]);
      // Nothing new: one request, a 416.
      expect(await tail.poll(api)).toEqual([]);
      expect(served.at(-1)?.status).toBe(416);
    });

    it('hands a huge output on in slices of maxBytesPerPoll, saying whether it caught up', async () => {
      serveRack();
      content = LOG;
      const tail = new OutputTail(9, 'debug', 0, { maxBytesPerPoll: CHUNK });
      const slices: string[][] = [];
      do {
        const lines = await tail.poll(api);
        slices.push(lines.map((l) => l.text));
        // No poll reads past its budget: one chunk each here.
        expect(served.length).toBe(slices.length);
      } while (!tail.caughtUp);
      expect(slices.length).toBeGreaterThan(3);
      expect(slices.flat()).toEqual(LINES);
      expect(served.reduce((sum, s) => sum + s.bytes, 0)).toBe(LOG.length);
      expect(await tail.poll(api)).toEqual([]);
      expect(tail.caughtUp).toBe(true);
    });

    it('splits a multi-byte character at a chunk border and still hands it on intact', async () => {
      serveRack();
      content = Buffer.from('aé€😀\nb\n'); // 1 + 2 + 3 + 4 bytes, then '\n'
      const tail = new OutputTail(9, 'event', 0, { chunkBytes: 2 });
      expect(await tail.poll(api)).toEqual([
        { text: 'aé€😀', start: 0, end: 11 },
        { text: 'b', start: 11, end: 13 },
      ]);
      expect(ranges()).toEqual([
        'bytes=0-1',
        'bytes=2-3',
        'bytes=4-5',
        'bytes=6-7',
        'bytes=8-9',
        'bytes=10-11',
        'bytes=12-13',
      ]);
    });

    it('takes its chunk from the client, never larger than maxResponseBytes', async () => {
      serveRack();
      content = LOG;
      const small = new DirectorClient({ url: stub.url, sleep: async () => {}, maxResponseBytes: 64 });
      try {
        const lines = await new OutputTail(9, 'debug').poll(small.forCaller(AUTH));
        expect(lines.map((l) => l.text)).toEqual(LINES);
        expect(ranges()[0]).toBe('bytes=0-63');
        expect(served.every((s) => s.bytes <= 64)).toBe(true);
      } finally {
        await small.close();
      }
    });

    it('keeps the lines of a poll whose later chunk failed for the next poll, reading no byte twice', async () => {
      stub.on(
        'GET /tasks/9/output',
        rackOutput(() => content, served),
        rackOutput(() => content, served),
        text(500, ''),
        rackOutput(() => content, served),
      );
      content = LOG;
      const tail = new OutputTail(9, 'debug');
      await expect(tail.poll(api)).rejects.toMatchObject({ code: 'DIRECTOR_ERROR' });
      // Two chunks arrived, but nothing was handed on: the resume point has not moved.
      expect(tail.offset).toBe(0);
      expect(tail.pendingBytes).toBe(2 * CHUNK);
      const lines = await tail.poll(api);
      expect(lines.map((l) => l.text)).toEqual(LINES);
      expect(ranges().slice(2, 4)).toEqual([
        `bytes=${2 * CHUNK}-${3 * CHUNK - 1}`,
        `bytes=${2 * CHUNK}-${3 * CHUNK - 1}`,
      ]);
      expect(served.reduce((sum, s) => sum + s.bytes, 0)).toBe(LOG.length);
    });

    it('goes on while full chunks come back from a server that does not say the total', async () => {
      stub.on('GET /tasks/9/output', (req, res) => {
        const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range)) ?? [];
        const start = Number(from);
        const end = Math.min(Number(to), LOG.length - 1);
        if (start >= LOG.length) {
          res.writeHead(416, { 'content-range': 'bytes */*' });
          res.end();
          return;
        }
        res.writeHead(206, { 'content-range': `bytes ${start}-${end}/*` });
        res.end(LOG.subarray(start, end + 1));
      });
      const tail = new OutputTail(9, 'debug');
      expect((await tail.poll(api)).map((l) => l.text)).toEqual(LINES);
      // The last chunk came back short, so the poll stopped there without asking past the end.
      expect(ranges()).toHaveLength(Math.ceil(LOG.length / CHUNK));
    });
  });
});
