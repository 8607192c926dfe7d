/**
 * docs/task-stream.md section 1.1: a subscriber's own credentials must read the task before it
 * attaches, and the poller goes on with another subscriber's credentials when its own stop.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import {
  expectedStages,
  manifest,
  records,
  shownStages,
  TASK_EVENTS,
  TASK_UPDATED,
  until,
} from './fixtures.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('isolation', () => {
  it('refuses a team alpha user a task of a deployment outside its team, on both transports', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const outside = gw.sim.tasks.startDeploy(manifest('outside', 2, 2));
    const admin = subscribeSse(url, TASK_EVENTS, { id: String(outside) }, gw.sim.basicAuth('admin'));
    const alpha = gw.sim.basicAuth('alpha-admin');
    for (const subscribe of [subscribeSse, subscribeWs]) {
      for (const query of [TASK_EVENTS, TASK_UPDATED]) {
        const refused = subscribe(url, query, { id: String(outside) }, alpha);
        await refused.done;
        expect(refused.results).toHaveLength(1);
        expect(
          refused.results[0]?.data?.taskEvents ?? refused.results[0]?.data?.taskUpdated ?? null,
        ).toBeNull();
        expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    await admin.done;
    expect(records(admin.results).length).toBe(gw.sim.tasks.events(outside).length);
  });

  it('lets a team alpha user follow a task of its own team', async () => {
    gw = await startTestGateway();
    const url = await gw.listen();
    const mine = gw.sim.tasks.startDeploy(manifest('alpha-owned', 1, 2), 'alpha-admin');
    const sub = subscribeWs(url, TASK_EVENTS, { id: String(mine) }, gw.sim.basicAuth('alpha-admin'));
    await sub.done;
    expect(shownStages(records(sub.results))).toEqual(expectedStages(gw.sim.tasks.events(mine)));
    // Every call of that stream carried alpha-admin's credentials.
    const users = new Set(gw.sim.requests.list({ pathPrefix: `/tasks/${mine}` }).map((r) => r.user));
    expect([...users]).toEqual(['alpha-admin']);
  });

  it('answers UNAUTHENTICATED to a subscriber whose credentials the Director refuses', async () => {
    gw = await startTestGateway({ configuredClient: false });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('locked-out', 1, 1));
    const bad = `Basic ${Buffer.from('admin:wrong').toString('base64')}`;
    const sub = subscribeSse(url, TASK_EVENTS, { id: String(id) }, bad);
    await sub.done;
    expect(sub.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(sub.results)).not.toContain('wrong');
  });
});

describe('the credentials the poller uses', () => {
  it('goes on with the next subscriber when the first one leaves', async () => {
    gw = await startTestGateway({ simulator: { tickMs: 40 } });
    const url = await gw.listen();
    const id = gw.sim.tasks.startDeploy(manifest('handover', 3, 2));
    const first = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await first.waitFor(1);
    const second = subscribeWs(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('reader'));
    await until(() => gw!.runtime.streams.stats().subscriptions === 2, 5_000, 'two subscriptions');
    await first.waitFor(4);
    first.close();
    await until(() => gw!.runtime.streams.stats().subscriptions === 1, 5_000, 'the first to leave');
    gw.sim.requests.reset();
    await second.done;
    expect(shownStages(records(second.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
    const users = new Set(gw.sim.requests.list({ pathPrefix: `/tasks/${id}` }).map((r) => r.user));
    expect([...users]).toEqual(['reader']);
  });
});
