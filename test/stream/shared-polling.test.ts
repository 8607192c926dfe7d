/**
 * docs/task-stream.md section 1: one poller per task, whatever the number of subscribers and
 * their transport; section 1 also: Range tailing downloads the log about once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from './fixtures.js';

let gw: TestGateway;
let url: string;

beforeEach(async () => {
  gw = await startTestGateway({ simulator: { tickMs: 25 } });
  url = await gw.listen();
});
afterEach(() => gw.close());

function outputCalls(id: number): number {
  return gw.sim.requests.count({ method: 'GET', path: `/tasks/${id}/output` });
}

describe('shared polling', () => {
  it('gives 200 subscribers on both transports the identical complete sequence from one poller', async () => {
    // The simulator's clock is held while the crowd connects, so all 200 overlap for certain.
    await gw.close();
    const clock = new ManualClock();
    gw = await startTestGateway({ simulator: { clock, tickMs: 1_000 } });
    url = await gw.listen();
    const drive = () => setInterval(() => void clock.advance(250), 5);

    const id = gw.sim.tasks.startDeploy(manifest('crowd', 3, 2));
    const auth = gw.sim.basicAuth('admin');
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 200; i += 1) {
      subs.push((i % 2 === 0 ? subscribeSse : subscribeWs)(url, TASK_EVENTS, { id: String(id) }, auth));
    }
    await until(() => gw.runtime.fanout.stats().clients === 200, 20_000, '200 live subscriptions');
    expect(gw.runtime.streams.stats().taskPollers).toBe(1);
    // Same document, variables and credentials: one execution serves them all (section 11).
    expect(gw.runtime.fanout.stats().executions).toBe(1);
    expect(gw.runtime.streams.stats().subscriptions).toBe(1);
    const driver = drive();
    await Promise.all(subs.map((s) => s.done));
    clearInterval(driver);

    const expected = expectedStages(gw.sim.tasks.events(id));
    const first = records(subs[0]!.results);
    expect(shownStages(first)).toEqual(expected);
    for (const sub of subs) expect(records(sub.results)).toEqual(first);

    // The shared execution's credentials read the task once (section 1.1); every other call is
    // the single poller's: one state read and one output read per round. 200 watchers polling
    // on their own would make at least 200 output reads in a single round.
    const rounds = gw.sim.requests.count({ method: 'GET', path: `/tasks/${id}` }) - 1;
    const crowdOutputCalls = outputCalls(id);
    expect(crowdOutputCalls).toBeLessThanOrEqual(rounds);
    expect(crowdOutputCalls).toBeGreaterThan(3);
    expect(crowdOutputCalls).toBeLessThan(200);
    expect(gw.runtime.streams.stats()).toMatchObject({ subscriptions: 0, taskPollers: 0 });
    expect(gw.runtime.fanout.stats()).toEqual({ clients: 0, executions: 0 });
  });

  it('downloads a long deploy event log at most 1.05 times its size', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('long', 6, 4));
    const sub = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await sub.done;
    const logBytes = Buffer.byteLength(gw.sim.tasks.eventOutput(id), 'utf8');
    const downloaded = gw.sim.requests.bytes({ method: 'GET', path: `/tasks/${id}/output` });
    expect(records(sub.results).length).toBe(gw.sim.tasks.events(id).length);
    // Many polls (the log grew while we tailed it), yet each byte came once.
    expect(outputCalls(id)).toBeGreaterThan(5);
    expect(downloaded).toBeLessThanOrEqual(logBytes * 1.05);
    expect(downloaded).toBeGreaterThanOrEqual(logBytes);
  });

  it('shares one poller between an SSE and a WebSocket subscriber that join at different times', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('mixed', 2, 3));
    const auth = gw.sim.basicAuth('admin');
    const early = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    await early.waitFor(3);
    const late = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    await until(() => gw.runtime.fanout.stats().clients === 2, 5_000, 'both subscriptions');
    expect(gw.runtime.streams.stats().taskPollers).toBe(1);
    await Promise.all([early.done, late.done]);
    // The late joiner got the records it missed from the buffer: the same complete sequence.
    expect(records(late.results)).toEqual(records(early.results));
    expect(records(early.results).length).toBe(gw.sim.tasks.events(id).length);
  });
});
