/**
 * Users of different teams at the same time: each operation runs with its caller's credentials
 * and its own loaders, so each sees exactly what the Director shows that user, whatever runs
 * beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { directorGet } from './support.js';

const QUERY = `{
  deployments { name teams vms { cid } }
  tasks(limit: 100) { id deploymentName deployment { name } }
  stemcells { version deployments { name } }
}`;

interface Seen {
  deployments: { name: string; teams: string[]; vms: { cid: string }[] }[];
  tasks: { id: string; deploymentName: string | null; deployment: { name: string } | null }[];
  stemcells: { version: string; deployments: { name: string }[] }[];
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('two team admins querying at once', () => {
  let alpha: Seen;
  let beta: Seen;
  /** The Director calls the two operations made, and nothing else. */
  let log: RequestRecord[];
  beforeAll(async () => {
    await gw.graphql('{ director { name } }');
    gw.resetCalls();
    const [a, b] = await Promise.all([
      gw.graphql(QUERY, undefined, 'alpha-admin'),
      gw.graphql(QUERY, undefined, 'beta-admin'),
    ]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    alpha = a.data;
    beta = b.data;
    log = gw.sim.requests.list();
  });

  it('each see only their own team deployment', () => {
    expect(alpha.deployments.map((d) => [d.name, d.teams])).toEqual([['zookeeper', ['alpha']]]);
    expect(beta.deployments.map((d) => [d.name, d.teams])).toEqual([['redis', ['beta']]]);
  });

  it('each see the VMs of their own deployment only', () => {
    const requests = log.filter((r) => r.path.endsWith('/vms'));
    expect(requests.map((r) => [r.user, r.path]).sort()).toEqual([
      ['alpha-admin', '/deployments/zookeeper/vms'],
      ['beta-admin', '/deployments/redis/vms'],
    ]);
    expect(alpha.deployments[0]!.vms.length).toBeGreaterThan(0);
    expect(beta.deployments[0]!.vms.length).toBeGreaterThan(0);
  });

  it('each see exactly the tasks the Director lists for them', async () => {
    const direct = async (user: string) =>
      ((await directorGet(gw, '/tasks?limit=100&verbose=1', user)) as { id: number }[]).map((t) =>
        String(t.id),
      );
    expect(alpha.tasks.map((t) => t.id)).toEqual(await direct('alpha-admin'));
    expect(beta.tasks.map((t) => t.id)).toEqual(await direct('beta-admin'));
    expect(alpha.tasks.length).toBeGreaterThan(0);
    expect(beta.tasks.length).toBeGreaterThan(0);
    // alpha's tasks include those of nginx-test, deleted since: its deployment is null.
    for (const t of alpha.tasks) {
      expect(['zookeeper', 'nginx-test']).toContain(t.deploymentName);
      expect(t.deployment?.name ?? null).toBe(t.deploymentName === 'zookeeper' ? 'zookeeper' : null);
    }
    for (const t of beta.tasks) expect(t.deployment).toEqual({ name: 'redis' });
  });

  it('each see all stemcells, but only the deployments they may read on them', async () => {
    // The Director lists every deployment on a stemcell, whoever asks.
    const wire = (await directorGet(gw, '/stemcells', 'alpha-admin')) as {
      version: string;
      deployments: { name: string }[];
    }[];
    const used = wire.find((s) => s.deployments.length > 1)!;
    expect(used.deployments.map((d) => d.name)).toEqual(expect.arrayContaining(['zookeeper', 'redis']));
    const on = (seen: Seen) =>
      seen.stemcells.find((s) => s.version === used.version)!.deployments.map((d) => d.name);
    expect(alpha.stemcells).toHaveLength(wire.length);
    expect(on(alpha)).toEqual(['zookeeper']);
    expect(on(beta)).toEqual(['redis']);
  });

  it('each carried its own credentials on every Director call', () => {
    const paths = (user: string) =>
      log
        .filter((r) => r.user === user)
        .map((r) => r.path)
        .sort();
    expect(new Set(log.map((r) => r.user))).toEqual(new Set(['alpha-admin', 'beta-admin']));
    expect(paths('alpha-admin')).toEqual([
      '/deployments',
      '/deployments/zookeeper/vms',
      '/stemcells',
      '/tasks',
    ]);
    expect(paths('beta-admin')).toEqual(['/deployments', '/deployments/redis/vms', '/stemcells', '/tasks']);
  });
});

describe('a director admin and a team admin at once', () => {
  it('see different deployment lists from the same gateway', async () => {
    const [admin, alpha] = await Promise.all([
      gw.graphql('{ deployments { name } }', undefined, 'admin'),
      gw.graphql('{ deployments { name } }', undefined, 'alpha-admin'),
    ]);
    expect(admin.data.deployments.map((d: { name: string }) => d.name)).toEqual(gw.sim.deployments.names());
    expect(alpha.data.deployments).toEqual([{ name: 'zookeeper' }]);
  });

  it('a team admin cannot read another team deployment by name: it is null for them', async () => {
    const [beta, admin] = await Promise.all([
      gw.graphql('{ deployment(name: "zookeeper") { name } }', undefined, 'beta-admin'),
      gw.graphql('{ deployment(name: "zookeeper") { name } }', undefined, 'admin'),
    ]);
    expect(beta.errors).toBeUndefined();
    expect(beta.data.deployment).toBeNull();
    expect(admin.data.deployment).toEqual({ name: 'zookeeper' });
  });

  it('a team admin asking for VM details of another team deployment gets null, and its own', async () => {
    const query = (name: string) => `{ deployment(name: "${name}") { vms { cid details { jobState } } } }`;
    gw.resetCalls();
    const other = await gw.graphql(query('zookeeper'), undefined, 'beta-admin');
    expect(other.errors).toBeUndefined();
    expect(other.data.deployment).toBeNull();
    // The Director refused the task with 401 / 600000: nothing else was asked.
    expect(gw.sim.requests.list().map((r) => [r.user, r.status, `${r.path}?${r.query}`])).toEqual([
      ['beta-admin', 401, '/deployments/zookeeper/vms?format=full'],
    ]);
    const own = await gw.graphql(query('redis'), undefined, 'beta-admin');
    expect(own.errors).toBeUndefined();
    expect(own.data.deployment.vms.length).toBeGreaterThan(0);
    for (const vm of own.data.deployment.vms) expect(vm.details.jobState).toBe('running');
  });

  it('a team reader reads its deployment by name as the Director lets it, though it may not list deployments', async () => {
    const [own, other, list] = await Promise.all([
      gw.graphql('{ deployment(name: "zookeeper") { name vms { cid } } }', undefined, 'alpha-reader'),
      gw.graphql('{ deployment(name: "cf") { name vms { cid } } }', undefined, 'alpha-reader'),
      gw.graphql('{ deployments { name } }', undefined, 'alpha-reader'),
    ]);
    expect(own.errors).toBeUndefined();
    expect(own.data.deployment.name).toBe('zookeeper');
    expect(other.errors).toBeUndefined();
    expect(other.data.deployment).toBeNull();
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
