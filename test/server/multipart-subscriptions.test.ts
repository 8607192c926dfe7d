/** Subscriptions as multipart HTTP for clients that ask for it first, SSE for the others. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deployManifest } from '../helpers/manifests.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

function follow(accept: string, id: number) {
  return gw.runtime.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query: `subscription { taskUpdated(id: "${id}") { id state } }` }),
  });
}

it('streams a subscription as multipart/mixed parts of JSON, then closes the body', async () => {
  const id = gw.sim.tasks.startDeploy(deployManifest('multipart', 1, 1));
  const response = await follow(
    'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json',
    id,
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"');
  const body = await response.text();
  expect(body.startsWith('\r\n---')).toBe(true);
  expect(body.endsWith('-----\r\n')).toBe(true);
  const parts = body
    .split('\r\n---')
    .filter((p) => p.includes('\r\n\r\n'))
    .map((p) => JSON.parse(p.slice(p.indexOf('\r\n\r\n') + 4)));
  expect(parts.length).toBeGreaterThan(0);
  for (const p of parts) expect(p.data?.taskUpdated?.id ?? '{}').toBe(String(id));
  expect(parts.at(-1).data.taskUpdated.state).toBe('DONE');
});

it('keeps SSE for clients that list text/event-stream (or */*) before multipart/mixed', async () => {
  for (const accept of ['text/event-stream, multipart/mixed', '*/*, multipart/mixed', 'text/event-stream']) {
    const id = gw.sim.tasks.startDeploy(deployManifest(`sse-${accept.length}`, 1, 1));
    const response = await follow(accept, id);
    expect(response.headers.get('content-type'), accept).toMatch(/^text\/event-stream/);
    expect(await response.text()).toMatch(/"state":"DONE"/);
  }
});
