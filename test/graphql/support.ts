/**
 * Small helpers shared by the GraphQL suites: raw requests with any headers, waiting for a
 * condition (never a timed assertion), and manifests the simulated Director deploys.
 */
import type { GraphQLReply, TestGateway } from '../helpers/gateway.js';

/** The query the deployments page sends: the one whose cost the issue pins at 3 Director calls. */
export const DEPLOYMENTS_PAGE =
  '{ deployments { name releases { version release { name } } stemcells { operatingSystem deployments { name } } } }';

/** Posts one operation with exactly these extra headers (e.g. a wrong Authorization, or none). */
export async function rawGraphql(
  gw: TestGateway,
  query: string,
  headers: Record<string, string> = {},
  variables?: Record<string, unknown>,
): Promise<GraphQLReply> {
  const response = await gw.runtime.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLReply, 'status'>;
  return { status: response.status, ...body };
}

/** A Basic header for any user name and password (the seeded ones or wrong ones). */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/**
 * Polls `condition` until it holds. A stuck condition fails the test with `what`; nothing is
 * asserted about how long it took.
 */
export async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A small manifest the simulated Director deploys: one `nginx` instance group of `instances` VMs
 * on the seeded release and stemcell.
 */
export function manifest(name: string, instances = 1): string {
  return `---
name: ${name}

releases:
- name: nginx
  version: latest

stemcells:
- alias: default
  os: ubuntu-jammy
  version: latest

update:
  canaries: 1
  max_in_flight: 1
  canary_watch_time: 1000-30000
  update_watch_time: 1000-30000

instance_groups:
- name: web
  instances: ${instances}
  azs: [z1]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: nginx, release: nginx}
`;
}

/** Deploys through the simulator itself (no gateway, no logged request) and waits for `done`. */
export async function deployDirectly(gw: TestGateway, name: string, user = 'admin'): Promise<void> {
  const task = await gw.sim.tasks.wait(gw.sim.tasks.startDeploy(manifest(name), user));
  if (task.state !== 'done') throw new Error(`deploying ${name} ended ${task.state}: ${task.result}`);
}

/** The error codes of a reply, in order. */
export function codes(reply: GraphQLReply): unknown[] {
  return (reply.errors ?? []).map((e) => e.extensions?.code);
}

/** Asks the simulated Director directly, as `user`, bypassing the gateway (the request is logged). */
export async function directorGet(gw: TestGateway, path: string, user: string): Promise<unknown> {
  const response = await fetch(`${gw.sim.url}${path}`, { headers: { authorization: await gw.auth(user) } });
  if (response.status !== 200) throw new Error(`GET ${path} as ${user}: HTTP ${response.status}`);
  return response.json();
}

/**
 * The Director calls of the last operation that could change something (every method but GET),
 * as `METHOD path status`: a refused mutation shows exactly its one refused call, answered 401.
 */
export function writes(gw: TestGateway): string[] {
  return gw.sim.requests
    .list()
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path} ${r.status}`);
}
