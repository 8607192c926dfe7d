/** graphql-ws, as its README shows (Node needs a WebSocket implementation: `ws`). */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEPLOY, DEPLOYMENTS, FOLLOW, manifestFor, statesOf } from './support.js';

let gw: TestGateway;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  gw = await startTestGateway();
  const url = (await gw.listen()).replace(/^http/, 'ws');
  client = createClient({ url, webSocketImpl: WebSocket });
});
afterAll(async () => {
  await client?.dispose();
  await gw?.close();
});

// biome-ignore lint/suspicious/noExplicitAny: results of arbitrary shape
async function all(query: string, variables?: Record<string, unknown>): Promise<any[]> {
  const results = [];
  for await (const result of client.iterate({ query, variables })) {
    expect(result.errors).toBeUndefined();
    results.push(result.data);
  }
  return results;
}

it('runs a query, a mutation, and a subscription that follows the deploy to DONE', async () => {
  const [query] = await all(DEPLOYMENTS);
  expect(query.deployments.map((d: { name: string }) => d.name)).toContain('cf');

  const [mutation] = await all(DEPLOY, { manifest: manifestFor('graphql-ws') });
  expect(mutation.deploy.description).toBe('create deployment');

  const updates = await all(FOLLOW, { id: mutation.deploy.id });
  expect(updates.at(-1).taskUpdated).toEqual({ id: mutation.deploy.id, state: 'DONE' });
  expect(statesOf(updates).at(-1)).toBe('DONE');
});
