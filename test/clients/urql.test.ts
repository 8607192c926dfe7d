/**
 * urql (@urql/core) with its default fetchExchange, and `fetchSubscriptions: true`, its built-in
 * way to run subscriptions over HTTP (it accepts multipart/mixed and text/event-stream).
 */
import { Client, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { onEnd, pipe, subscribe } from 'wonka';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEPLOY, DEPLOYMENTS, FOLLOW, manifestFor, statesOf } from './support.js';

let gw: TestGateway;
let client: Client;
beforeAll(async () => {
  gw = await startTestGateway();
  client = new Client({ url: await gw.listen(), exchanges: [fetchExchange], fetchSubscriptions: true });
});
afterAll(() => gw?.close());

it('runs a query, a mutation, and a subscription that follows the deploy to DONE', async () => {
  const query = await client.query(DEPLOYMENTS, {}).toPromise();
  expect(query.error).toBeUndefined();
  expect(query.data.deployments.map((d: { name: string }) => d.name)).toContain('cf');

  const mutation = await client.mutation(DEPLOY, { manifest: manifestFor('urql') }).toPromise();
  expect(mutation.error).toBeUndefined();
  const id = mutation.data.deploy.id as string;

  // Followed to its end, when the gateway completes it at the terminal state. (Unsubscribing
  // mid-stream makes urql abort its fetch, which Node 26 reports as an unhandled AbortError.)
  const updates: { taskUpdated: { id: string; state: string } }[] = [];
  await new Promise<void>((resolve, reject) => {
    pipe(
      client.subscription(FOLLOW, { id }),
      onEnd(resolve),
      subscribe((result) => {
        if (result.error) reject(result.error);
        else updates.push(result.data);
      }),
    );
  });
  expect(updates.at(-1)?.taskUpdated).toEqual({ id, state: 'DONE' });
  expect(statesOf(updates).at(-1)).toBe('DONE');
});
