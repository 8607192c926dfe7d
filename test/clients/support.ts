/**
 * What every client-library test runs against the gateway (in process, in front of the
 * simulator): a query, a mutation that starts a deploy, and a subscription that follows that
 * deploy to DONE. The libraries are used as their documentation shows, with no gateway-specific
 * option or header.
 */
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
