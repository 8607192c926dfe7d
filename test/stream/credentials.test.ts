/**
 * docs/task-stream.md section 1.1, on the simulator's manual clock so token lifetimes and task
 * progress are exact: each output is read with credentials allowed to read it, a subscriber whose
 * credentials stop working ends while the others go on, and debug logs never reach a reader.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS, until } from './fixtures.js';

let gw: TestGateway | undefined;
let driver: NodeJS.Timeout | undefined;
afterEach(async () => {
  clearInterval(driver);
  await gw?.close();
  gw = undefined;
});

/** Moves the simulator's clock `stepMs` every few real milliseconds, so tasks progress. */
function drive(clock: ManualClock, stepMs: number): void {
  driver = setInterval(() => void clock.advance(stepMs), 5);
}

const DEBUG = 'subscription($id: ID!) { taskOutput(id: $id, type: DEBUG) { text } }';

describe('expired credentials', () => {
  // Tokens live 600 s; a deploy step takes 5 s of simulator time, so a deploy lasts minutes.
  async function uaaGateway(reauthorizeMs: number) {
    const clock = new ManualClock();
    gw = await startTestGateway({
      simulator: { auth: 'uaa', clock, tickMs: 5_000, tokenTtlSeconds: 600 },
      configuredClient: false,
      stream: { reauthorizeMs },
    });
    const url = await gw.listen();
    const early = await gw.sim.token('admin');
    await clock.advance(500_000);
    const late = await gw.sim.token('reader');
    const id = gw.sim.tasks.startDeploy(manifest('long-lived', 4, 3));
    return { clock, url, early, late, id };
  }

  it('ends the poller subscriber whose token expired and goes on with the next one', async () => {
    const { clock, url, early, late, id } = await uaaGateway(60_000);
    const first = subscribeWs(url, TASK_EVENTS, { id: String(id) }, early);
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the first subscriber');
    const second = subscribeSse(url, TASK_EVENTS, { id: String(id) }, late);
    await until(() => gw!.runtime.streams.stats().subscriptions === 2, 5_000, 'the second subscriber');
    drive(clock, 1_000);
    await Promise.all([first.done, second.done]);

    // The early token expired 100 s into the deploy: its stream ended with UNAUTHENTICATED and
    // the cursor of the last record it got; the poller went on with the reader's token.
    const last = first.results.at(-1);
    expect(last?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const got = records(first.results.slice(0, -1));
    expect(got.length).toBeGreaterThan(0);
    expect(last?.errors?.[0]?.extensions?.lastCursor).toBe(got.at(-1).cursor);
    expect(shownStages(records(second.results))).toEqual(expectedStages(gw!.sim.tasks.events(id)));
    expect(got.length).toBeLessThan(records(second.results).length);
  });

  it('ends a subscriber whose token expired even while the poller reads with another one', async () => {
    // The reader's younger token polls; the admin's older one is only re-checked, every 50 ms.
    const { clock, url, early, late, id } = await uaaGateway(50);
    const poller = subscribeSse(url, TASK_EVENTS, { id: String(id) }, late);
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the polling subscriber');
    const other = subscribeWs(url, TASK_EVENTS, { id: String(id) }, early);
    await until(() => gw!.runtime.streams.stats().subscriptions === 2, 5_000, 'the second subscriber');
    drive(clock, 1_000);
    await Promise.all([poller.done, other.done]);
    expect(other.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(records(other.results.slice(0, -1)).length).toBeLessThan(records(poller.results).length);
    expect(shownStages(records(poller.results))).toEqual(expectedStages(gw!.sim.tasks.events(id)));
  });
});

describe('admin-only outputs', () => {
  it('refuses a reader the debug log even while an admin follows it on the same poller', async () => {
    const clock = new ManualClock();
    gw = await startTestGateway({ simulator: { clock, tickMs: 1_000 } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('debugged', 2, 2));
    const admin = subscribeSse(url, DEBUG, { id: String(id) }, gw.sim.basicAuth('admin'));
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the admin');
    const reader = subscribeWs(url, DEBUG, { id: String(id) }, gw.sim.basicAuth('reader'));
    await reader.done;
    expect(reader.results).toHaveLength(1);
    expect(reader.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    drive(clock, 500);
    await admin.done;
    expect(records(admin.results, 'taskOutput').length).toBeGreaterThan(0);
  });

  it("reads the debug log with its follower's credentials, so a reader's events go on", async () => {
    const clock = new ManualClock();
    gw = await startTestGateway({ simulator: { clock, tickMs: 1_000 } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('mixed-rights', 2, 2));
    // The reader is the oldest subscriber: the task state is read with its credentials, but the
    // debug log only ever with the admin's.
    const events = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('reader'));
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the reader');
    const debug = subscribeSse(url, DEBUG, { id: String(id) }, gw.sim.basicAuth('admin'));
    await until(() => gw!.runtime.streams.stats().subscriptions === 2, 5_000, 'the admin');
    drive(clock, 500);
    await Promise.all([events.done, debug.done]);
    expect(shownStages(records(events.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
    expect(records(debug.results, 'taskOutput').map((l) => l.text)).toEqual(
      gw.sim.tasks.debugOutput(id).split('\n').filter(Boolean),
    );
    const debugReaders = new Set(
      gw.sim.requests
        .list({ path: `/tasks/${id}/output` })
        .filter((r) => r.query.includes('type=debug'))
        .map((r) => r.user),
    );
    expect([...debugReaders]).toEqual(['admin']);
  });

  it('stops reading an output once its last follower leaves', async () => {
    const clock = new ManualClock();
    gw = await startTestGateway({ simulator: { clock, tickMs: 1_000 } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('left-debug', 3, 2));
    const events = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    const debug = subscribeSse(url, DEBUG, { id: String(id) }, gw.sim.basicAuth('admin'));
    await until(() => gw!.runtime.streams.stats().subscriptions === 2, 5_000, 'both subscribers');
    await clock.advance(3_000);
    await debug.waitFor(1);
    debug.close();
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the debug follower to leave');
    gw.sim.requests.reset();
    drive(clock, 500);
    await events.done;
    const debugReads = gw.sim.requests
      .list({ path: `/tasks/${id}/output` })
      .filter((r) => r.query.includes('type=debug'));
    expect(debugReads.length).toBeLessThanOrEqual(1);
    expect(gw.sim.requests.list({ path: `/tasks/${id}/output` }).length).toBeGreaterThan(3);
  });
});
