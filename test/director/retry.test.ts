import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient, type DirectorClientOptions } from '../../src/director/index.js';
import { parseRetryAfter, retryDelay, retryPolicy } from '../../src/director/retry.js';
import { json, redirect, reset, type StubDirector, startStub, text } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';

describe('retries', () => {
  let stub: StubDirector;
  let sleeps: number[];
  const clients: DirectorClient[] = [];
  const makeClient = (options: Partial<DirectorClientOptions> = {}) => {
    const c = new DirectorClient({
      url: stub.url,
      retry: { baseDelayMs: 1, maxDelayMs: 100 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    stub = await startStub();
    sleeps = [];
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stub.close();
  });

  it.each([502, 503, 504])(
    'retries a GET answered %i and returns the answer that follows',
    async (status) => {
      stub.on('GET /stemcells', text(status, ''), json(200, []));
      expect(await makeClient().forCaller(AUTH).listStemcells()).toEqual([]);
      expect(stub.calls('GET /stemcells')).toHaveLength(2);
    },
  );

  it('retries a GET whose connection was reset', async () => {
    stub.on('GET /deployments', reset(), json(200, []));
    expect(await makeClient().forCaller(AUTH).listDeployments()).toEqual([]);
    expect(stub.calls('GET /deployments')).toHaveLength(2);
  });

  it('retries a GET whose connection was refused, then reports the Director unavailable', async () => {
    const closed = await startStub();
    const url = closed.url;
    await closed.close();
    await expect(makeClient({ url }).forCaller(AUTH).info()).rejects.toMatchObject({
      code: 'DIRECTOR_UNAVAILABLE',
    });
    expect(sleeps).toEqual([1, 2, 4]);
  });

  it('gives up after the retry cap with backoffs doubling from the base', async () => {
    stub.on('GET /stemcells', text(503, ''));
    await expect(makeClient().forCaller(AUTH).listStemcells()).rejects.toMatchObject({
      code: 'DIRECTOR_ERROR',
    });
    expect(stub.calls('GET /stemcells')).toHaveLength(4);
    expect(sleeps).toEqual([1, 2, 4]);
  });

  it('does not retry a 500: the Director handled the request and failed', async () => {
    stub.on('GET /stemcells', text(500, ''), json(200, []));
    await expect(makeClient().forCaller(AUTH).listStemcells()).rejects.toMatchObject({
      code: 'DIRECTOR_ERROR',
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('never retries a POST, which starts a task', async () => {
    stub.on('POST /deployments', text(503, ''), redirect(302, '/tasks/1'));
    await expect(makeClient().forCaller(AUTH).deploy('name: cf\n')).rejects.toMatchObject({
      code: 'DIRECTOR_ERROR',
    });
    stub.on('POST /deployments', reset(), redirect(302, '/tasks/1'));
    await expect(makeClient().forCaller(AUTH).deploy('name: cf\n')).rejects.toMatchObject({
      code: 'DIRECTOR_UNAVAILABLE',
    });
    expect(stub.calls('POST /deployments')).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('never retries a DELETE, which starts or cancels a task', async () => {
    stub.on('DELETE /deployments/cf', text(502, ''), redirect(302, '/tasks/1'));
    stub.on('DELETE /task/5', reset(), text(204, ''));
    const api = makeClient().forCaller(AUTH);
    await expect(api.deleteDeployment('cf')).rejects.toMatchObject({ code: 'DIRECTOR_ERROR', status: 502 });
    await expect(api.cancelTask(5)).rejects.toMatchObject({ code: 'DIRECTOR_UNAVAILABLE' });
    expect(stub.requests).toHaveLength(2);
  });

  it('waits as long as Retry-After asks when that is longer than the backoff', async () => {
    stub.on('GET /releases', text(503, '', { 'retry-after': '3' }), json(200, []));
    await makeClient({ retry: { baseDelayMs: 1, maxRetryAfterMs: 10_000 } })
      .forCaller(AUTH)
      .listReleases();
    expect(sleeps).toEqual([3000]);
  });

  it('caps a long Retry-After', async () => {
    stub.on('GET /releases', text(503, '', { 'retry-after': '3600' }), json(200, []));
    await makeClient({ retry: { baseDelayMs: 1, maxRetryAfterMs: 50 } })
      .forCaller(AUTH)
      .listReleases();
    expect(sleeps).toEqual([50]);
  });

  it('reads Retry-After given as an HTTP date against the clock', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    stub.on(
      'GET /releases',
      text(503, '', { 'retry-after': 'Thu, 01 Jan 2026 00:00:02 GMT' }),
      json(200, []),
    );
    await makeClient({ now: () => now })
      .forCaller(AUTH)
      .listReleases();
    expect(sleeps).toEqual([2000]);
  });
});

describe('the retry table', () => {
  it('doubles the backoff up to its maximum', () => {
    const policy = retryPolicy({ baseDelayMs: 200, maxDelayMs: 500 });
    expect([1, 2, 3, 4].map((n) => retryDelay(policy, n, undefined))).toEqual([200, 400, 500, 500]);
  });

  it('has defaults of 3 retries from 200 ms', () => {
    expect(retryPolicy()).toMatchObject({ retries: 3, baseDelayMs: 200 });
  });

  it('ignores a Retry-After it cannot read', () => {
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('2', 0)).toBe(2000);
  });
});
