/**
 * What every client-library test runs against the gateway (in process, in front of the
 * simulator): a query, a mutation that starts a deploy, and a subscription that follows that
 * deploy to DONE. The libraries are used as their documentation shows, with no gateway-specific
 * option or header.
 */
import { expect } from 'vitest';
import { deployManifest } from '../helpers/manifests.js';

export const DEPLOYMENTS = /* GraphQL */ `
  query Deployments {
    deployments {
      name
      releases {
        name
        version
      }
    }
  }
`;

export const DEPLOY = /* GraphQL */ `
  mutation Deploy($manifest: String!) {
    deploy(manifest: $manifest) {
      id
      state
      description
    }
  }
`;

export const FOLLOW = /* GraphQL */ `
  subscription Follow($id: ID!) {
    taskUpdated(id: $id) {
      id
      state
    }
  }
`;

export const manifestFor = (client: string) => deployManifest(`client-${client}`, 1, 1);

/** The states a follower saw, without repeats: e.g. [PROCESSING, DONE]. */
export function statesOf(updates: { taskUpdated: { state: string } }[]): string[] {
  return updates.map((u) => u.taskUpdated.state).filter((state, i, all) => state !== all[i - 1]);
}

/** What graphql-sse's and graphql-ws's clients share: `iterate()` over one operation's results. */
export interface IteratingClient {
  iterate(request: {
    query: string;
    variables?: Record<string, unknown>;
  }): AsyncIterable<{ data?: unknown; errors?: unknown }>;
}

/** Every result of one operation, each checked to carry no error. */
export async function collect(
  client: IteratingClient,
  query: string,
  variables?: Record<string, unknown>,
  // biome-ignore lint/suspicious/noExplicitAny: results of arbitrary shape
): Promise<any[]> {
  const results = [];
  for await (const result of client.iterate({ query, ...(variables ? { variables } : {}) })) {
    expect(result.errors).toBeUndefined();
    results.push(result.data);
  }
  return results;
}

/** The round every client test makes: a query, a deploy, and its task followed to DONE. */
export async function queryDeployAndFollow(client: IteratingClient, name: string): Promise<void> {
  const [query] = await collect(client, DEPLOYMENTS);
  expect(query.deployments.map((d: { name: string }) => d.name)).toContain('cf');

  const [mutation] = await collect(client, DEPLOY, { manifest: manifestFor(name) });
  expect(mutation.deploy.description).toBe('create deployment');

  const updates = await collect(client, FOLLOW, { id: mutation.deploy.id });
  expect(updates.at(-1).taskUpdated).toEqual({ id: mutation.deploy.id, state: 'DONE' });
  expect(statesOf(updates).at(-1)).toBe('DONE');
}
