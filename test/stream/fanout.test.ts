/**
 * docs/task-stream.md section 11: subscribers with the same document, variables and credentials
 * share one execution: each record is executed and serialized once, late joiners get what the
 * field's replay policy keeps, records of one poll round reach an SSE client in one write, and
 * different credentials never share.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { rawPost } from '../helpers/raw-post.js';
import { subscribeSse, subscribeWs, type TestSubscription } from '../helpers/subscribe.js';
import { manifest, records, TASK_EVENTS, until } from './fixtures.js';

let gw: TestGateway;
let url: string;
beforeEach(async () => {
  gw = await startTestGateway({ simulator: { tickMs: 30 }, stream: { intervalMs: 120, jitter: 0 } });
  url = await gw.listen();
});
afterEach(() => gw.close());

/** A selection that reads the Director for every pushed result (the deployments list). */
const UPDATED_WITH_DEPLOYMENT = `subscription($id: ID!) {
  taskUpdated(id: $id) { id state deployment { name teams } }
}`;

function crowd(
  n: number,
  query: string,
  variables: Record<string, unknown>,
  auth: string,
): TestSubscription[] {
  return Array.from({ length: n }, (_, i) =>
    (i % 2 === 0 ? subscribeSse : subscribeWs)(url, query, variables, auth),
  );
}

describe('shared executions', () => {
  it('execute each pushed result once for 40 subscribers with the same credentials', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('shared-exec', 2, 2));
    const subs = crowd(40, UPDATED_WITH_DEPLOYMENT, { id: String(id) }, gw.sim.basicAuth('admin'));
    await Promise.all(subs.map((s) => s.done));
    const first = records(subs[0]!.results, 'taskUpdated');
    expect(first.at(-1).state).toBe('DONE');
    for (const sub of subs) expect(records(sub.results, 'taskUpdated')).toEqual(first);
    // One /deployments per pushed result of the one execution, not one per subscriber.
    expect(gw.sim.requests.count({ method: 'GET', path: '/deployments' })).toBeLessThanOrEqual(first.length);
  });

  it('never share between different credentials: each gets its own execution and its own answer', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('split', 2, 2));
    const admin = crowd(4, UPDATED_WITH_DEPLOYMENT, { id: String(id) }, gw.sim.basicAuth('admin'));
    const reader = crowd(4, UPDATED_WITH_DEPLOYMENT, { id: String(id) }, gw.sim.basicAuth('reader'));
    await until(() => gw.runtime.fanout.stats().clients === 8, 5_000, 'eight subscribers');
    expect(gw.runtime.fanout.stats().executions).toBe(2);
    await Promise.all([...admin, ...reader].map((s) => s.done));
    const users = new Set(gw.sim.requests.list({ path: '/deployments' }).map((r) => r.user));
    expect(users).toEqual(new Set(['admin', 'reader']));
  });

  it('give a late joiner of a log every record from the start, and of a state the latest first', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('late', 3, 2));
    const auth = gw.sim.basicAuth('admin');
    const early = subscribeSse(url, TASK_EVENTS, { id: String(id) }, auth);
    const earlyState = subscribeWs(url, UPDATED_WITH_DEPLOYMENT, { id: String(id) }, auth);
    await early.waitFor(8);
    await until(
      () => records(earlyState.results, 'taskUpdated').some((t) => t.state === 'PROCESSING'),
      5_000,
      'the task to run',
    );
    const late = subscribeWs(url, TASK_EVENTS, { id: String(id) }, auth);
    const lateState = subscribeSse(url, UPDATED_WITH_DEPLOYMENT, { id: String(id) }, auth);
    await lateState.waitFor(1);
    expect(gw.runtime.fanout.stats().executions).toBe(2);
    // The state stream's late joiner starts with the current state, not the history.
    expect(records(lateState.results, 'taskUpdated')[0].state).toBe('PROCESSING');
    await Promise.all([early.done, late.done, earlyState.done, lateState.done]);
    expect(records(late.results)).toEqual(records(early.results));
    expect(records(early.results).length).toBe(gw.sim.tasks.events(id).length);
  });

  it('write the records of one poll round to an SSE client in one chunk', async () => {
    // Polls far apart, a fast task: each round brings several records at once.
    await gw.close();
    gw = await startTestGateway({ simulator: { tickMs: 20 }, stream: { intervalMs: 400, jitter: 0 } });
    url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('chunks', 3, 2));
    const answer = await rawPost(
      url,
      { query: TASK_EVENTS, variables: { id: String(id) } },
      { headers: { accept: 'text/event-stream', authorization: gw.sim.basicAuth('admin') } },
    );
    if (answer === 'aborted') throw new Error('the stream broke');
    const chunks = answer.chunks;
    const text = chunks.join('');
    const events = text.split('event: next\n').length - 1;
    expect(events).toBe(gw.sim.tasks.events(id).length);
    expect(text).toContain('event: complete');
    // A chunk per round (plus the first ping and the completion), far fewer than one per record.
    expect(chunks.length).toBeLessThan(events / 2);
  });
});

describe('re-authorization', () => {
  it('re-reads the task once per period per set of credentials, however many executions it has', async () => {
    await gw.close();
    const reauthorizeMs = 150;
    gw = await startTestGateway({ simulator: { tickMs: 40 }, stream: { intervalMs: 60, reauthorizeMs } });
    url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('reauth', 4, 3));
    // The admin subscribes first: the poller reads with its credentials, not the reader's.
    const admin = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await admin.waitFor(1);
    const started = Date.now();
    const reader = [
      subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('reader')),
      subscribeWs(
        url,
        'subscription($id: ID!) { taskUpdated(id: $id) { state } }',
        { id: String(id) },
        gw.sim.basicAuth('reader'),
      ),
      subscribeWs(
        url,
        'subscription($id: ID!) { taskOutput(id: $id, type: EVENT) { cursor } }',
        { id: String(id) },
        gw.sim.basicAuth('reader'),
      ),
    ];
    await Promise.all([admin.done, ...reader.map((s) => s.done)]);
    const elapsed = Date.now() - started;
    const reads = gw.sim.requests.count({ method: 'GET', path: `/tasks/${id}`, user: 'reader' });
    // Three authorization reads, then at most one re-read per period for the three together
    // (three executions re-reading on their own would make about three per period).
    expect(reads).toBeGreaterThan(3);
    expect(reads).toBeLessThanOrEqual(3 + Math.ceil(elapsed / reauthorizeMs) + 1);
  });
});
