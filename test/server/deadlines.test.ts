/**
 * docs/director-api-notes.md §13: every operation has a deadline; a call never waits past it; a
 * client that leaves takes its calls with it; a hung route cannot starve the others.
 */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { until } from '../stream/fixtures.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const DEPLOYMENTS = '{ deployments { name } }';

/** Hangs every `GET /deployments` for 70 s: it arrives at the Director, which never answers in time. */
function hangDeployments(g: TestGateway): void {
  g.sim.faults.set({ latencyMs: 70_000, pathPrefix: '/deployments', method: 'GET' });
}

/** POSTs one query over a real connection; `abortAfterMs` destroys it before the answer. */
function post(
  url: string,
  query: string,
  abortAfterMs?: number,
): Promise<{ status: number; body: string } | 'aborted'> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const body = JSON.stringify({ query });
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', () => resolve('aborted'));
    req.end(body);
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
  });
}

describe('a hung Director route', () => {
  it('does not starve other routes: { director { name } } answers while 40 hung queries wait', async () => {
    gw = await startTestGateway();
    hangDeployments(gw);
    const hung = Array.from({ length: 40 }, () => gw!.graphql(DEPLOYMENTS));
    let settled = 0;
    for (const query of hung) void query.then(() => settled++);
    // 16 of them (the route's share of 32 connections) reach the Director; the others wait.
    await until(() => gw!.sim.requests.count({ path: '/deployments' }) === 16, 10_000, 'the hung calls');
    const started = Date.now();
    const reply = await gw.graphql('{ director { name } }');
    const elapsed = Date.now() - started;
    expect(reply.errors).toBeUndefined();
    expect(reply.data.director.name).toBeTruthy();
    expect(settled).toBe(0);
    // The bound; the answer itself is one /info call to a local Director.
    expect(elapsed).toBeLessThan(2_000);
    expect(gw.runtime.client.queueStats).toEqual({ inFlight: 16, waiting: 24 });
  });

  it('ends every query at its deadline with DIRECTOR_TIMEOUT, and never sends the queued calls', async () => {
    gw = await startTestGateway({ limits: { requestTimeoutMs: 400 } });
    hangDeployments(gw);
    const replies = await Promise.all(Array.from({ length: 40 }, () => gw!.graphql(DEPLOYMENTS)));
    for (const reply of replies) {
      expect(reply.errors?.[0]?.extensions?.code).toBe('DIRECTOR_TIMEOUT');
    }
    // The route's share reached the Director. The others waited: a slot freed a moment before a
    // waiter's own deadline may still carry it, but none waits past it, so most leave unsent.
    expect(gw.sim.requests.count({ path: '/deployments' })).toBeLessThanOrEqual(20);
    expect(gw.runtime.client.queueStats).toEqual({ inFlight: 0, waiting: 0 });
    // Deadlines are the operations' own: they do not make the Director look dead.
    expect(gw.runtime.client.breakerState).toBe('closed');
  });

  it('sends nothing more for clients that gave up: their queued calls leave, their calls in flight stop', async () => {
    // Counted where the calls leave the gateway: the simulator may log a request the gateway
    // had already cut off, a moment later.
    let sentByGateway = 0;
    gw = await startTestGateway({
      director: {
        onRequest: (event) => {
          if (event.route === 'GET /deployments') sentByGateway += 1;
        },
      },
    });
    const url = await gw.listen();
    hangDeployments(gw);
    const given = await Promise.all(Array.from({ length: 40 }, () => post(url, DEPLOYMENTS, 300)));
    expect(new Set(given)).toEqual(new Set(['aborted']));
    await until(
      () => gw!.runtime.client.queueStats.inFlight === 0 && gw!.runtime.client.queueStats.waiting === 0,
      5_000,
      'every call of the departed clients to end',
    );
    // The route's share (16) was in flight. A freed slot can still go to a waiting call whose
    // client left in the same instant, before the gateway could read that client's socket; on a
    // loaded machine a few do. Most of the 24 waiting calls are never sent.
    const sent = sentByGateway;
    expect(sent).toBeLessThanOrEqual(24);
    // Long after: no call of those 40 operations is ever sent, and the Director saw no more.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentByGateway).toBe(sent);
    expect(gw.sim.requests.count({ path: '/deployments' })).toBeLessThanOrEqual(sent);
  });
});
