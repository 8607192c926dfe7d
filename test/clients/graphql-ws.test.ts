/** graphql-ws, as its README shows (Node needs a WebSocket implementation: `ws`). */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { queryDeployAndFollow } from './support.js';

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

it('runs a query, a mutation, and a subscription that follows the deploy to DONE', async () => {
  await queryDeployAndFollow(client, 'graphql-ws');
});
