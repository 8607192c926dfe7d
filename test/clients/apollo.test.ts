/**
 * Apollo Client with its default HttpLink: queries and mutations as JSON POSTs, subscriptions as
 * multipart HTTP (`accept: multipart/mixed;subscriptionSpec=1.0`), which yoga serves.
 */
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEPLOY, DEPLOYMENTS, FOLLOW, manifestFor, statesOf } from './support.js';

let gw: TestGateway;
let client: ApolloClient;
let seen: { accept: string }[];
beforeAll(async () => {
  gw = await startTestGateway();
  const uri = await gw.listen();
  seen = [];
  // The default fetch, watched: the test checks which transport Apollo asked for.
  const watched: typeof fetch = (input, init) => {
    seen.push({ accept: new Headers(init?.headers).get('accept') ?? '' });
    return fetch(input, init);
  };
  client = new ApolloClient({ link: new HttpLink({ uri, fetch: watched }), cache: new InMemoryCache() });
});
afterAll(async () => {
  client?.stop();
  await gw?.close();
});

it('runs a query, a mutation, and a multipart subscription that follows the deploy to DONE', async () => {
  const query = await client.query<{ deployments: { name: string }[] }>({ query: gql(DEPLOYMENTS) });
  expect(query.error).toBeUndefined();
  expect(query.data?.deployments.map((d) => d.name)).toContain('cf');

  const mutation = await client.mutate<{ deploy: { id: string } }>({
    mutation: gql(DEPLOY),
    variables: { manifest: manifestFor('apollo') },
  });
  expect(mutation.error).toBeUndefined();
  const id = mutation.data!.deploy.id;

  const updates: { taskUpdated: { id: string; state: string } }[] = [];
  await new Promise<void>((resolve, reject) => {
    const subscription = client.subscribe({ query: gql(FOLLOW), variables: { id } }).subscribe({
      next: (result) => {
        if (result.error) reject(result.error);
        else updates.push(result.data as (typeof updates)[number]);
      },
      error: reject,
      complete: () => {
        subscription.unsubscribe();
        resolve();
      },
    });
  });
  expect(updates.at(-1)?.taskUpdated).toEqual({ __typename: 'Task', id, state: 'DONE' });
  expect(statesOf(updates).at(-1)).toBe('DONE');
  expect(seen.at(-1)?.accept).toMatch(/^multipart\/mixed/);
});

it('ends the subscription on the gateway when Apollo unsubscribes', async () => {
  const streams = gw.runtime.streams;
  expect(streams.stats().subscriptions).toBe(0);
  const first = new Promise<() => void>((resolve, reject) => {
    const subscription = client.subscribe({ query: gql('subscription { runningTasks { id } }') }).subscribe({
      next: () => resolve(() => subscription.unsubscribe()),
      error: reject,
    });
  });
  const unsubscribe = await first;
  expect(streams.stats().subscriptions).toBe(1);
  unsubscribe();
  while (streams.stats().subscriptions > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(streams.stats().subscriptions).toBe(0);
});
