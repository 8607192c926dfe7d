/** GET /metrics counts live subscriptions and pollers (docs/task-stream.md section 1). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { manifest, until } from '../stream/fixtures.js';

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway({ simulator: { tickMs: 100 } });
  url = await gw.listen();
});
afterAll(() => gw.close());

async function metric(name: string): Promise<number> {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no metric ${name} in:\n${text.slice(0, 500)}`);
  return Number(line.split(' ')[1]);
}

it('reports live subscriptions, task pollers and Director requests', async () => {
  const id = gw.sim.tasks.startDeploy(manifest('metered', 3, 3));
  const auth = gw.sim.basicAuth('admin');
  const query = `subscription { taskEvents(id: "${id}") { cursor } }`;
  const subs = [
    subscribeSse(url, query, {}, auth),
    subscribeWs(url, query, {}, auth),
    subscribeSse(url, query, {}, auth),
  ];
  await Promise.all(subs.map((s) => s.waitFor(1)));
  expect(await metric('bosh_graphql_subscriptions')).toBe(3);
  expect(await metric('bosh_graphql_task_pollers')).toBe(1);
  for (const sub of subs) sub.kill();
  await until(() => gw.runtime.streams.stats().taskPollers === 0, 5_000, 'the poller to stop');
  expect(await metric('bosh_graphql_subscriptions')).toBe(0);
  expect(await metric('bosh_graphql_task_pollers')).toBe(0);
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  expect(text).toMatch(
    /bosh_graphql_director_requests_total\{method="GET",route="GET \/tasks\/:id",status="200"\} \d+/,
  );
  // Labels are route templates: no task ids, deployment names or credentials.
  expect(text).not.toContain(`/tasks/${id}`);
  expect(text).not.toContain('admin');
});

it('reports live audit feed pollers, one per credentials and filter', async () => {
  const query = 'subscription($d: String) { directorEvents(deployment: $d) { id } }';
  const subs = [
    subscribeSse(url, query, {}, gw.sim.basicAuth('admin')),
    subscribeWs(url, query, {}, gw.sim.basicAuth('admin')),
    subscribeSse(url, query, { d: 'cf' }, gw.sim.basicAuth('admin')),
  ];
  await until(() => gw.runtime.fanout.stats().clients === 3, 5_000, 'the feeds to attach');
  expect(await metric('bosh_graphql_audit_pollers')).toBe(2);
  for (const sub of subs) sub.kill();
  await until(() => gw.runtime.streams.stats().auditPollers === 0, 5_000, 'the pollers to stop');
  expect(await metric('bosh_graphql_audit_pollers')).toBe(0);
});
