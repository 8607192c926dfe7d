/**
 * deploy, deleteDeployment and cancelTask through the gateway: what is checked before anything is
 * sent, what reaches the Director (request log: method, path, query string), and the task each
 * mutation returns without waiting for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { fileGateway } from '../helpers/file-gateway.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { codes, deployDirectly, manifest } from './support.js';

const DEPLOY = `mutation($manifest: String!, $options: DeployOptions, $contextId: String) {
  deploy(manifest: $manifest, options: $options, contextId: $contextId) {
    id state description user deploymentName contextId startedAt finishedAt finished
  }
}`;

const DELETE = `mutation($name: String!, $force: Boolean, $contextId: String) {
  deleteDeployment(name: $name, force: $force, contextId: $contextId) {
    id state description user deploymentName contextId
  }
}`;

const CANCEL = 'mutation($id: ID!) { cancelTask(id: $id) { id state } }';

const gw = fileGateway();

let counter = 0;
/** A deployment name no other test uses. */
const fresh = (prefix: string) => `${prefix}-${++counter}`;

describe('deploy', () => {
  it('starts a deploy and returns the task read back at once, without waiting', async () => {
    const name = fresh('deploy');
    const reply = await gw.graphql(DEPLOY, { manifest: manifest(name) });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.deploy;
    expect(['QUEUED', 'PROCESSING']).toContain(task.state);
    expect(task).toMatchObject({
      description: 'create deployment',
      user: 'admin',
      deploymentName: name,
      finishedAt: null,
      finished: false,
    });
    // The POST, then one read of the new task: no polling.
    expect(gw.calls()).toEqual(['POST /deployments', `GET /tasks/${task.id}`]);
    const wire = gw.sim.tasks.get(Number(task.id))!;
    expect(wire.deployment).toBe(name);
    expect((await gw.sim.tasks.wait(Number(task.id))).state).toBe('done');
    expect(gw.sim.deployments.manifest(name)).toBe(manifest(name));
  });

  it('runs as the caller: a team admin deploys a deployment owned by its team', async () => {
    const name = fresh('alpha');
    const reply = await gw.graphql(DEPLOY, { manifest: manifest(name) }, 'alpha-admin');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deploy.user).toBe('alpha-admin');
    expect(gw.sim.requests.list().map((r) => r.user)).toEqual(['alpha-admin', 'alpha-admin']);
    const after = await gw.graphql('{ deployments { name teams } }', undefined, 'alpha-admin');
    expect(after.data.deployments).toContainEqual({ name, teams: ['alpha'] });
  });

  it('refuses YAML that does not parse, naming the line and column, before any Director call', async () => {
    const text = 'name: broken\nreleases: []\nstemcells: []\nfoo: bar: baz\n';
    const reply = await gw.graphql(DEPLOY, { manifest: text });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    const [error] = reply.errors!;
    expect(error!.message).toContain('line 4, column 6');
    expect(error!.extensions).toMatchObject({ field: 'manifest', line: 4, column: 6 });
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('refuses a manifest with a key given twice, with its position', async () => {
    const reply = await gw.graphql(DEPLOY, { manifest: 'name: a\nreleases: []\nname: b\n' });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors![0]!.extensions).toMatchObject({ line: 3, column: 1 });
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('refuses a manifest without name, naming the missing key, before any Director call', async () => {
    const withoutName = manifest('unnamed').replace(/^name: .*$/m, '');
    const reply = await gw.graphql(DEPLOY, { manifest: withoutName });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors![0]!.message).toContain('`name`');
    expect(reply.errors![0]!.extensions).toMatchObject({ missingKey: 'name' });
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('refuses an empty manifest and one that is not a mapping, before any Director call', async () => {
    for (const text of ['', '   \n', '- name: a\n- name: b\n', 'just a string\n']) {
      const reply = await gw.graphql(DEPLOY, { manifest: text });
      expect(codes(reply), JSON.stringify(text)).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('sends every option as the Director query parameter', async () => {
    const reply = await gw.graphql(DEPLOY, {
      manifest: manifest(fresh('options')),
      options: {
        recreate: true,
        skipDrain: ['web', 'worker'],
        fix: true,
        dryRun: true,
        canaries: '2',
        maxInFlight: '30%',
      },
    });
    expect(reply.errors).toBeUndefined();
    const [post] = gw.sim.requests.list({ method: 'POST', path: '/deployments' });
    expect(new URLSearchParams(post!.query)).toEqual(
      new URLSearchParams({
        recreate: 'true',
        skip_drain: 'web,worker',
        fix: 'true',
        dry_run: 'true',
        canaries: '2',
        max_in_flight: '30%',
      }),
    );
    expect(reply.data.deploy.description).toBe('create deployment (dry run)');
  });

  it('sends skipDrainAll as skip_drain=*, and no query at all without options', async () => {
    await gw.graphql(DEPLOY, { manifest: manifest(fresh('drain')), options: { skipDrainAll: true } });
    await gw.graphql(DEPLOY, { manifest: manifest(fresh('plain')) });
    await gw.graphql(DEPLOY, { manifest: manifest(fresh('off')), options: { recreate: false, fix: false } });
    const queries = gw.sim.requests.list({ method: 'POST', path: '/deployments' }).map((r) => r.query);
    expect(queries.map((q) => new URLSearchParams(q).get('skip_drain'))).toEqual(['*', null, null]);
    expect(queries.slice(1)).toEqual(['', '']);
  });

  it('refuses canaries or maxInFlight that are neither a number nor a percentage', async () => {
    for (const options of [{ canaries: 'two' }, { maxInFlight: '10%%' }, { canaries: '-1' }]) {
      const reply = await gw.graphql(DEPLOY, { manifest: manifest('never'), options });
      expect(codes(reply), JSON.stringify(options)).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('stores a context id on the task, where tasks(contextId:) finds it', async () => {
    const contextId = `ctx-${'x'.repeat(60)}`; // 64 characters, the Director's maximum
    expect(contextId).toHaveLength(64);
    const reply = await gw.graphql(DEPLOY, { manifest: manifest(fresh('ctx')), contextId });
    expect(reply.errors).toBeUndefined();
    const id = reply.data.deploy.id;
    expect(reply.data.deploy.contextId).toBe(contextId);
    // Only the X-Bosh-Context-Id header can have put it there.
    expect(gw.sim.tasks.get(Number(id))!.context_id).toBe(contextId);

    gw.resetCalls();
    const found = await gw.graphql('query($c: String) { tasks(contextId: $c) { id contextId } }', {
      c: contextId,
    });
    expect(found.data.tasks).toEqual([{ id, contextId }]);
    expect(gw.calls()).toEqual([`GET /tasks?context_id=${contextId}&limit=30&verbose=1`]);
  });

  it('refuses a context id over 64 characters before any Director call', async () => {
    const contextId = 'y'.repeat(65);
    const deploy = await gw.graphql(DEPLOY, { manifest: manifest('never'), contextId });
    const remove = await gw.graphql(DELETE, { name: 'cf', contextId });
    const list = await gw.graphql('query($c: String) { tasks(contextId: $c) { id } }', { c: contextId });
    for (const reply of [deploy, remove, list]) expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(gw.sim.requests.list()).toEqual([]);
    expect(gw.sim.deployments.names()).toContain('cf');
  });
});

describe('deleteDeployment', () => {
  it('starts the delete and returns the task read back at once', async () => {
    const name = fresh('doomed');
    await deployDirectly(gw, name);
    gw.resetCalls();
    const reply = await gw.graphql(DELETE, { name, contextId: 'delete-ctx' });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.deleteDeployment;
    expect(['QUEUED', 'PROCESSING']).toContain(task.state);
    expect(task).toMatchObject({
      description: `delete deployment ${name}`,
      deploymentName: name,
      contextId: 'delete-ctx',
    });
    expect(gw.calls()).toEqual([`DELETE /deployments/${name}`, `GET /tasks/${task.id}`]);
    expect((await gw.sim.tasks.wait(Number(task.id))).state).toBe('done');
    expect(gw.sim.deployments.names()).not.toContain(name);
  });

  it('sends force=true only when asked', async () => {
    const name = fresh('forced');
    await deployDirectly(gw, name);
    gw.resetCalls();
    const reply = await gw.graphql(DELETE, { name, force: true });
    expect(reply.errors).toBeUndefined();
    expect(gw.calls()[0]).toBe(`DELETE /deployments/${name}?force=true`);
    await gw.sim.tasks.wait(Number(reply.data.deleteDeployment.id));
  });

  it('answers NOT_FOUND with the Director code for a deployment that does not exist', async () => {
    const reply = await gw.graphql(DELETE, { name: 'no-such-deployment' });
    expect(codes(reply)).toEqual(['NOT_FOUND']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(70000);
    expect(reply.errors![0]!.message).toContain('no-such-deployment');
    expect(gw.calls()).toEqual(['DELETE /deployments/no-such-deployment']);
  });
});

describe('a started task whose read-back fails', () => {
  /** The id of the task the Director started, from the redirect it answered with. */
  const startedId = () => {
    const read = gw.calls().find((call) => /^GET \/tasks\/\d+$/.test(call));
    return read?.slice('GET /tasks/'.length);
  };

  it('answers deploy with the mapped error carrying the task id, and deploys once', async () => {
    const name = fresh('read-back');
    // One 500 (an unexpected Director exception): GETs are not retried on a 500.
    gw.sim.faults.set({ pathPrefix: '/tasks/', errorNext: 1, errorStatus: 500, method: 'GET' });
    try {
      const reply = await gw.graphql(DEPLOY, { manifest: manifest(name) });
      expect(reply.data).toBeNull();
      expect(codes(reply)).toEqual(['DIRECTOR_ERROR']);
      const id = startedId();
      expect(id).toMatch(/^\d+$/);
      expect(reply.errors![0]!.extensions).toMatchObject({ code: 'DIRECTOR_ERROR', taskId: id });
      expect(reply.errors![0]!.message).toContain(`Task ${id} was started`);
      expect(gw.calls()).toEqual(['POST /deployments', `GET /tasks/${id}`]);
      // The task runs, and it is the only one: a client that follows it deploys once.
      expect(gw.sim.tasks.get(Number(id))?.deployment).toBe(name);
      expect((await gw.sim.tasks.wait(Number(id))).state).toBe('done');
      const tasks = gw.sim.tasks.list().filter((t) => t.deployment === name);
      expect(tasks.map((t) => String(t.id))).toEqual([id]);
      const followed = await gw.graphql(`{ task(id: "${id}") { id state } }`);
      expect(followed.data.task).toEqual({ id, state: 'DONE' });
    } finally {
      gw.sim.faults.clear();
    }
  });

  it('answers deleteDeployment the same way after the client retried the read through 503s', async () => {
    const name = fresh('read-back-delete');
    await deployDirectly(gw, name);
    gw.resetCalls();
    // More 503s than the client's three retries of a GET.
    gw.sim.faults.set({ pathPrefix: '/tasks/', errorNext: 4, errorStatus: 503, method: 'GET' });
    try {
      const reply = await gw.graphql(DELETE, { name });
      expect(reply.data).toBeNull();
      const id = startedId();
      expect(reply.errors![0]!.extensions).toMatchObject({ code: 'DIRECTOR_ERROR', taskId: id });
      expect(gw.calls()).toEqual([`DELETE /deployments/${name}`, ...Array(4).fill(`GET /tasks/${id}`)]);
      expect((await gw.sim.tasks.wait(Number(id))).description).toBe(`delete deployment ${name}`);
    } finally {
      gw.sim.faults.clear();
    }
  });
});

describe('cancelTask', () => {
  let manual: TestGateway;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock();
    manual = await startTestGateway({ simulator: { clock } });
    await manual.graphql('{ director { name } }');
  });
  afterAll(() => manual.close());

  const stateOf = async (id: string) =>
    (await manual.graphql('query($id: ID!) { task(id: $id) { state } }', { id })).data.task.state;

  it('moves a processing task to CANCELLING, then CANCELLED at its next step', async () => {
    const started = await manual.graphql(DEPLOY, { manifest: manifest('cancel-me') });
    const id: string = started.data.deploy.id;
    await clock.advance(20);
    expect(await stateOf(id)).toBe('PROCESSING');

    manual.resetCalls();
    const reply = await manual.graphql(CANCEL, { id });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.cancelTask).toEqual({ id, state: 'CANCELLING' });
    expect(manual.calls()).toEqual([`DELETE /task/${id}`, `GET /tasks/${id}`]);

    await clock.advance(1_000);
    expect(await stateOf(id)).toBe('CANCELLED');
  });

  it('cancels a queued task before it runs', async () => {
    const started = await manual.graphql(DEPLOY, { manifest: manifest('cancel-queued') });
    const id: string = started.data.deploy.id;
    expect(started.data.deploy.state).toBe('QUEUED');
    const reply = await manual.graphql(CANCEL, { id });
    expect(reply.data.cancelTask.state).toBe('CANCELLING');
    await clock.advance(1_000);
    expect(await stateOf(id)).toBe('CANCELLED');
    expect(manual.sim.tasks.get(Number(id))!.started_at).toBeNull();
  });

  it('refuses a finished task as TASK_NOT_CANCELLABLE', async () => {
    const done = manual.sim.tasks.list().find((t) => t.state === 'done')!;
    manual.resetCalls();
    const reply = await manual.graphql(CANCEL, { id: String(done.id) });
    expect(codes(reply)).toEqual(['TASK_NOT_CANCELLABLE']);
    expect(reply.errors![0]!.extensions?.taskId).toBe(String(done.id));
    expect(reply.errors![0]!.message).toContain('done');
    expect(manual.calls()).toEqual([`DELETE /task/${done.id}`]);
    expect(manual.sim.tasks.get(done.id)!.state).toBe('done');
  });

  it('refuses a non-numeric id before any Director call', async () => {
    manual.resetCalls();
    const reply = await manual.graphql(CANCEL, { id: 'latest' });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(manual.calls()).toEqual([]);
  });

  it('answers NOT_FOUND for a task the Director does not know', async () => {
    const reply = await manual.graphql(CANCEL, { id: '424242' });
    expect(codes(reply)).toEqual(['NOT_FOUND']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(10000);
  });
});
