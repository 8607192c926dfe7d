/**
 * docs/task-stream.md section 1: one poller per task, whatever the number of subscribers and
 * their transport; section 1 also: Range tailing downloads the log about once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from './fixtures.js';

let gw: TestGateway;
let url: string;

beforeEach(async (context) => {
  // The crowd needs a deploy that outlasts 200 connections being opened.
  const tickMs = context.task.name.includes('200 subscribers') ? 120 : 25;
  gw = await startTestGateway({ simulator: { tickMs } });
  url = await gw.listen();
});
afterEach(() => gw.close());

function outputCalls(id: number): number {
  return gw.sim.requests.count({ method: 'GET', path: `/tasks/${id}/output` });
}

describe('shared polling', () => {
  it('gives 200 subscribers on both transports the identical complete sequence from one poller', async () => {
    // Baseline: one subscriber on a deploy of the same shape.
    const single = gw.sim.tasks.startDeploy(manifest('single', 3, 2));
    const alone = subscribeSse(url, TASK_EVENTS, { id: String(single) }, gw.sim.basicAuth('admin'));
    await alone.done;
    const baselineOutputCalls = outputCalls(single);

    const id = gw.sim.tasks.startDeploy(manifest('crowd', 3, 2));
    const auth = gw.sim.basicAuth('admin');
    const subs: TestSubscription[] = [];
    for (let i = 0; i < 200; i += 1) {
      subs.push((i % 2 === 0 ? subscribeSse : subscribeWs)(url, TASK_EVENTS, { id: String(id) }, auth));
    }
    // Sample the registry while the crowd is live: how many subscribers overlapped, and pollers.
    let peakSubscriptions = 0;
    let peakPollers = 0;
    const sampler = setInterval(() => {
      const stats = gw.runtime.streams.stats();
      peakSubscriptions = Math.max(peakSubscriptions, stats.subscriptions);
      peakPollers = Math.max(peakPollers, stats.taskPollers);
    }, 5);
    await Promise.all(subs.map((s) => s.done));
    clearInterval(sampler);
    expect(peakSubscriptions).toBeGreaterThanOrEqual(190);
    expect(peakPollers).toBe(1);

    const expected = expectedStages(gw.sim.tasks.events(id));
    const first = records(subs[0]!.results);
    expect(shownStages(first)).toEqual(expected);
    for (const sub of subs) expect(records(sub.results)).toEqual(first);

    // Each subscriber's credentials read the task once (section 1.1); everything else is the
    // single poller's: its output reads stay at the one-subscriber rate, not 200 times it.
    const crowdOutputCalls = outputCalls(id);
    expect(crowdOutputCalls).toBeLessThanOrEqual(baselineOutputCalls * 2 + 5);
    const taskReads = gw.sim.requests.count({ method: 'GET', path: `/tasks/${id}` });
    expect(taskReads - 200).toBeLessThanOrEqual(crowdOutputCalls + 2);
    expect(gw.runtime.streams.stats()).toMatchObject({ subscriptions: 0, taskPollers: 0 });
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
    await until(() => gw.runtime.streams.stats().subscriptions === 2, 5_000, 'both subscriptions');
    expect(gw.runtime.streams.stats().taskPollers).toBe(1);
    await Promise.all([early.done, late.done]);
    // The late joiner got the records it missed from the buffer: the same complete sequence.
    expect(records(late.results)).toEqual(records(early.results));
    expect(records(early.results).length).toBe(gw.sim.tasks.events(id).length);
  });
});
