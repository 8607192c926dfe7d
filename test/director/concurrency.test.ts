import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient } from '../../src/director/index.js';
import { type StubDirector, startStub, until } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';
const INFO = {
  name: 'stub',
  uuid: 'u',
  version: '1 (0)',
  user: null,
  cpi: 'c',
  user_authentication: { type: 'basic', options: {} },
  features: {},
};
/** Time for requests beyond the cap to show up at the stub if the cap were missing. Not asserted on. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the cap on requests in flight', () => {
  let stub: StubDirector;
  let held: ServerResponse[];

  beforeEach(async () => {
    stub = await startStub();
    held = [];
    stub.on('GET /locks', (_req, res) => {
      held.push(res);
    });
  });
  afterEach(async () => {
    await stub.close();
  });

  async function drive(client: DirectorClient, calls: number, cap: number): Promise<void> {
    const api = client.forCaller(AUTH);
    const pending = Array.from({ length: calls }, () => api.listLocks());
    let answered = 0;
    while (answered < calls) {
      await until(() => held.length >= Math.min(cap, calls - answered), 'held requests');
      await settle();
      expect(stub.inFlight).toBeLessThanOrEqual(cap);
      for (const res of held.splice(0)) {
        res.writeHead(200);
        res.end('[]');
        answered++;
      }
    }
    expect(await Promise.all(pending)).toHaveLength(calls);
  }

  it('lets at most 2 of 6 concurrent calls reach the Director with maxConcurrency 2', async () => {
    // One route may use every slot only when its share says so (the default share is half).
    const client = new DirectorClient({ url: stub.url, maxConcurrency: 2, maxConcurrencyPerRoute: 2 });
    await drive(client, 6, 2);
    expect(stub.maxInFlight).toBe(2);
    expect(stub.requests).toHaveLength(6);
    await client.close();
  });

  it('defaults to 32 requests in flight, at most 16 of one route', async () => {
    const client = new DirectorClient({ url: stub.url });
    await drive(client, 40, 16);
    expect(stub.maxInFlight).toBe(16);
    await client.close();
  });

  it('keeps serving other routes while one route holds its whole share', async () => {
    const client = new DirectorClient({ url: stub.url, maxConcurrency: 4 });
    stub.on('GET /info', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(INFO));
    });
    const api = client.forCaller(AUTH);
    // Ten calls of a route that does not answer: two reach the Director, eight wait.
    const hung = Array.from({ length: 10 }, () => api.listLocks().catch(() => undefined));
    await until(() => held.length === 2, 'the hung route to hold its share');
    await settle();
    expect(held).toHaveLength(2);
    // Another route still gets through at once, twice over, past the eight waiting calls.
    expect((await api.info()).name).toBe(INFO.name);
    expect((await api.info()).name).toBe(INFO.name);
    expect(client.queueStats).toEqual({ inFlight: 2, waiting: 8 });
    for (const res of held.splice(0)) res.end('[]');
    await client.close();
    await Promise.all(hung);
  });

  it('takes a waiting call out of the queue, unsent, when its operation ends', async () => {
    const client = new DirectorClient({ url: stub.url, maxConcurrency: 2, maxConcurrencyPerRoute: 1 });
    const first = client.forCaller(AUTH).listLocks();
    await until(() => held.length === 1, 'the first call to be held');
    const operation = new AbortController();
    const waiting = client.forCaller(AUTH, { signal: operation.signal }).listLocks();
    await settle();
    expect(client.queueStats).toEqual({ inFlight: 1, waiting: 1 });
    operation.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(client.queueStats).toEqual({ inFlight: 1, waiting: 0 });
    held[0]?.end('[]');
    await first;
    await settle();
    expect(stub.requests).toHaveLength(1);
    await client.close();
  });

  it('fails a call with DIRECTOR_TIMEOUT when its deadline passes in the queue, and never sends it', async () => {
    const client = new DirectorClient({ url: stub.url, maxConcurrency: 1 });
    const first = client.forCaller(AUTH).listLocks();
    await until(() => held.length === 1, 'the first call to be held');
    const late = client.forCaller(AUTH, { timeoutMs: 50 }).listLocks();
    await expect(late).rejects.toMatchObject({ code: 'DIRECTOR_TIMEOUT', phase: 'deadline' });
    expect(client.queueStats.waiting).toBe(0);
    held[0]?.end('[]');
    await first;
    await settle();
    expect(stub.requests).toHaveLength(1);
    await client.close();
  });

  it('cuts off a call in flight when its operation ends', async () => {
    const client = new DirectorClient({ url: stub.url });
    const operation = new AbortController();
    const call = client.forCaller(AUTH, { signal: operation.signal }).listLocks();
    await until(() => held.length === 1, 'the call to reach the Director');
    operation.abort();
    await expect(call).rejects.toMatchObject({ code: 'ABORTED' });
    await until(() => stub.inFlight === 0, 'the Director to see the request end');
    await client.close();
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new DirectorClient({ url: stub.url, maxConcurrency: 0 })).toThrow(RangeError);
  });
});
