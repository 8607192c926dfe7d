import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient } from '../../src/director/index.js';
import { type StubDirector, startStub, until } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';
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
    const client = new DirectorClient({ url: stub.url, maxConcurrency: 2 });
    await drive(client, 6, 2);
    expect(stub.maxInFlight).toBe(2);
    expect(stub.requests).toHaveLength(6);
    await client.close();
  });

  it('defaults to 32 requests in flight', async () => {
    const client = new DirectorClient({ url: stub.url });
    await drive(client, 40, 32);
    expect(stub.maxInFlight).toBe(32);
    await client.close();
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new DirectorClient({ url: stub.url, maxConcurrency: 0 })).toThrow(RangeError);
  });
});
