/**
 * graphql-sse in its distinct-connections mode (its default): every operation, queries too, is
 * one POST answered with an event stream, which is yoga's own SSE transport. Its
 * single-connection mode is not served, and is refused at once (see the README).
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEPLOYMENTS, queryDeployAndFollow } from './support.js';

let gw: TestGateway;
let url: string;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  gw = await startTestGateway();
  url = await gw.listen();
  client = createClient({ url });
});
afterAll(async () => {
  client?.dispose();
  await gw?.close();
});

it('runs a query, a mutation, and a subscription that follows the deploy to DONE', async () => {
  await queryDeployAndFollow(client, 'graphql-sse');
});

it('refuses its single connection mode at once, with a message, before anything runs', async () => {
  const single = createClient({ url, singleConnection: true, retryAttempts: 0 });
  gw.resetCalls();
  try {
    const attempt = (async () => {
      for await (const result of single.iterate({ query: DEPLOYMENTS })) return result;
    })();
    await expect(attempt).rejects.toThrow(/405/);
    expect(gw.calls()).toEqual([]);
  } finally {
    single.dispose();
  }
});
