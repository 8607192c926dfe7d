/**
 * docs/director-api-notes.md §13: every operation has a deadline; a call never waits past it; a
 * client that leaves takes its calls with it; a hung route cannot starve the others.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawPost } from '../helpers/raw-post.js';
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

describe('a hung Director route', () => {
  it('does not starve other routes: { director { name } } answers while 40 hung queries wait', async () => {
    gw = await startTestGateway();
    hangDeployments(gw);
    const hung = Array.from({ length: 40 }, () => gw!.graphql(DEPLOYMENTS));
    let settled = 0;
    // Still hung when the gateway closes after the test: their connections end then.
    const endedByClose = () => undefined;
    for (const query of hung) void query.then(() => settled++, endedByClose);
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

  it('never sends the queued calls of clients that gave up, and stops their calls in flight', async () => {
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
    const queue = () => gw!.runtime.client.queueStats;
    // Sixteen clients fill the route's share of connections; twenty-four more wait behind them.
    const inFlight = Array.from({ length: 16 }, () => new AbortController());
    const first = inFlight.map((c) => rawPost(url, { query: DEPLOYMENTS }, { signal: c.signal }));
    await until(() => queue().inFlight === 16, 10_000, 'the route share to be in flight');
    const waiting = Array.from({ length: 24 }, () => new AbortController());
    const second = waiting.map((c) => rawPost(url, { query: DEPLOYMENTS }, { signal: c.signal }));
    await until(() => queue().waiting === 24, 10_000, 'the others to wait');
    // The waiting clients give up: their calls leave the queue, unsent.
    for (const c of waiting) c.abort();
    await Promise.all(second);
    await until(() => queue().waiting === 0, 10_000, 'the queue to empty');
    expect(queue().inFlight).toBe(16);
    // Then the others: their calls in flight stop.
    for (const c of inFlight) c.abort();
    await Promise.all(first);
    await until(() => queue().inFlight === 0, 10_000, 'the calls in flight to stop');
    expect(sentByGateway).toBe(16);
    // Long after: nothing more is ever sent, and the Director saw no more than was sent.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sentByGateway).toBe(16);
    expect(gw.sim.requests.count({ path: '/deployments' })).toBeLessThanOrEqual(16);
  });
});
