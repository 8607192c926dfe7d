/**
 * What a console shows of one deployment beyond its VMs: its lock, variables, certificates,
 * errands, cloud-check problems and instances in full, each compared with what the simulated
 * Director answers, each at one Director call (its route's), and refused as the Director refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deployManifest } from '../helpers/manifests.js';
import { codes, directorGet } from './support.js';

let gw: TestGateway;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock();
  gw = await startTestGateway({ simulator: { clock } });
  await gw.graphql('{ director { name } }');
});
afterAll(() => gw.close());

/** Moves the simulator's manual clock on until `pending` settles: its format=full task runs on it. */
async function settle<T>(pending: Promise<T>): Promise<T> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  pending.then(done, done);
  while (!settled) await clock.advance(100);
  return pending;
}

describe('a deployment page', () => {
  it('shows variables, certificates, errands and problems at one call of each route', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(`{ deployment(name: "cf") {
      lock { type }
      variables { id name }
      certificateExpiry { name expiresAt daysLeft }
      errands { name }
      problems { id type description instanceGroup instance resolutions { name plan } data }
    } }`);
    expect(reply.errors).toBeUndefined();
    expect(gw.calls().sort()).toEqual([
      'GET /deployments',
      'GET /deployments/cf/certificate_expiry',
      'GET /deployments/cf/errands',
      'GET /deployments/cf/problems',
      'GET /deployments/cf/variables',
      'GET /locks',
    ]);
    const cf = reply.data.deployment;
    expect(cf.lock).toBeNull();

    const variables = (await directorGet(gw, '/deployments/cf/variables', 'admin')) as { name: string }[];
    expect(cf.variables.map((v: { name: string }) => v.name)).toEqual(variables.map((v) => v.name).sort());
    expect(cf.variables.map((v: { name: string }) => v.name)).toContain('/bosh-simulator/cf/router_tls');

    const certs = (await directorGet(gw, '/deployments/cf/certificate_expiry', 'admin')) as {
      name: string;
      expiry_date: string;
      days_left: number;
    }[];
    expect(cf.certificateExpiry).toEqual(
      certs.map((c) => ({
        name: c.name,
        expiresAt: new Date(c.expiry_date).toISOString(),
        daysLeft: c.days_left,
      })),
    );
    // nats_tls expired two days ago: a negative count, not an error.
    expect(cf.certificateExpiry.find((c: { name: string }) => c.name.endsWith('/nats_tls')).daysLeft).toBe(
      -2,
    );

    expect(cf.errands).toEqual([]);
    const [problem] = cf.problems;
    const wire = ((await directorGet(gw, '/deployments/cf/problems', 'admin')) as { id: number }[])[0]!;
    expect(problem).toMatchObject({
      id: String(wire.id),
      type: 'unresponsive_agent',
      instanceGroup: 'diego-cell',
    });
    expect(problem.instance).toMatch(/^diego-cell\/[0-9a-f-]{36}$/);
    expect(problem.description).toContain(problem.instance);
    expect(problem.resolutions[0]).toEqual({ name: 'ignore', plan: 'Skip for now' });
    expect(problem.resolutions.map((r: { name: string }) => r.name)).toContain('recreate_vm');
  });

  it("lists zookeeper's errands to its team", async () => {
    const reply = await gw.graphql(
      '{ deployment(name: "zookeeper") { errands { name } } }',
      undefined,
      'alpha-admin',
    );
    expect(reply.data.deployment.errands).toEqual([{ name: 'smoke-tests' }, { name: 'status' }]);
  });

  it('shows the lock of a deployment while a deploy holds it, with its task', async () => {
    const id = gw.sim.tasks.startDeploy(deployManifest('locked-one', 1, 1));
    await clock.advance(50);
    gw.resetCalls();
    const reply = await gw.graphql(`{
      locks { type resource taskId task { id state } expiresAt }
      deployment(name: "locked-one") { locked lock { type resource taskId } }
    }`);
    expect(reply.errors).toBeUndefined();
    // One /locks for both fields, and the task of the lock.
    expect(gw.calls().sort()).toEqual(['GET /deployments', 'GET /locks', `GET /tasks/${id}`]);
    const lock = reply.data.locks.find((l: { resource: string[] }) => l.resource[0] === 'locked-one');
    expect(lock).toMatchObject({
      type: 'deployment',
      taskId: String(id),
      task: { id: String(id), state: 'PROCESSING' },
    });
    const wire = (
      (await directorGet(gw, '/locks', 'admin')) as { timeout: string; resource: string[] }[]
    ).find((l) => l.resource[0] === 'locked-one')!;
    expect(lock.expiresAt).toBe(new Date(Math.floor(Number(wire.timeout) * 1000)).toISOString());
    expect(reply.data.deployment).toEqual({
      locked: true,
      lock: { type: 'deployment', resource: ['locked-one'], taskId: String(id) },
    });
    await clock.advance(60_000);
    expect(gw.sim.tasks.get(id)?.state).toBe('done');
    const after = await gw.graphql('{ deployment(name: "locked-one") { lock { type } } }');
    expect(after.data.deployment.lock).toBeNull();
  });

  it('refuses variables and problems to a reader, as the Director does, and locks to a team admin', async () => {
    const reader = await gw.graphql('{ deployment(name: "cf") { variables { id } } }', undefined, 'reader');
    expect(codes(reader)).toEqual(['FORBIDDEN']);
    const problems = await gw.graphql('{ deployment(name: "cf") { problems { id } } }', undefined, 'reader');
    expect(codes(problems)).toEqual(['FORBIDDEN']);
    const alpha = await gw.graphql(
      '{ deployment(name: "zookeeper") { locked lock { type } variables { name } } }',
      undefined,
      'alpha-admin',
    );
    expect(codes(alpha)).toEqual(['FORBIDDEN']);
    expect(alpha.errors![0]!.path).toEqual(['deployment', 'lock']);
    expect(alpha.data.deployment.locked).toBe(false);
    expect(alpha.data.deployment.variables.map((v: { name: string }) => v.name)).toEqual([
      '/bosh-simulator/zookeeper/zookeeper_tls',
    ]);
  });
});

describe('instances in full', () => {
  it('give processes, state, bootstrap, ignore, disks and vitals from one format=full task', async () => {
    const reply = await settle(
      gw.graphql(`{ deployment(name: "concourse") { instances {
        job index id details { state jobState bootstrap ignore diskCids vitals { load } processes { name state } }
      } } }`),
    );
    expect(reply.errors).toBeUndefined();
    const instances = reply.data.deployment.instances;
    const ignored = instances.find(
      (i: { job: string; index: number }) => i.job === 'worker' && i.index === 1,
    );
    expect(ignored.details.ignore).toBe(true);
    const others = instances.filter((i: { id: string }) => i.id !== ignored.id);
    for (const i of others) expect(i.details.ignore).toBe(false);
    expect(
      instances.filter((i: { details: { bootstrap: boolean } }) => i.details.bootstrap).length,
    ).toBeGreaterThan(0);
    for (const i of instances) {
      expect(i.details.state).toBe('started');
      expect(i.details.processes.length).toBeGreaterThan(0);
      for (const p of i.details.processes) expect(p.state).toBe('running');
      expect(i.details.vitals.load).toHaveLength(3);
    }
    expect(gw.sim.requests.count({ path: '/deployments/concourse/instances', query: 'format=full' })).toBe(1);
  });
});
