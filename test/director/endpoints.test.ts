import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient } from '../../src/director/index.js';
import { json, type StubDirector, startStub, text, wireTask } from '../helpers/stub-director.js';
import { DEPLOYMENTS, INFO_BASIC, INSTANCES, LOCKS, RELEASES, STEMCELLS, VMS } from './fixtures.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';

describe('DirectorClient read endpoints', () => {
  let stub: StubDirector;
  let client: DirectorClient;

  beforeEach(async () => {
    stub = await startStub();
    client = new DirectorClient({ url: stub.url, sleep: async () => {} });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
  });

  it('asks GET /info and returns its JSON even when labelled text/html', async () => {
    stub.on('GET /info', json(200, INFO_BASIC));
    const info = await client.forCaller(AUTH).info();
    expect(info).toEqual(INFO_BASIC);
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /info']);
    expect(stub.requests[0]?.headers.authorization).toBe(AUTH);
  });

  it('sends every task list filter as the Director names it', async () => {
    stub.on('GET /tasks', json(200, [wireTask(7, 'processing')]));
    const tasks = await client.forCaller(AUTH).listTasks({
      states: ['processing', 'cancelling', 'queued'],
      deployment: 'cf',
      contextId: 'ctx-1',
      limit: 30,
      verbose: 2,
    });
    expect(tasks).toEqual([wireTask(7, 'processing')]);
    expect(tasks[0]?.timestamp).toBeNull();
    const q = stub.requests[0]?.query;
    expect(q?.get('state')).toBe('processing,cancelling,queued');
    expect(q?.get('deployment')).toBe('cf');
    expect(q?.get('context_id')).toBe('ctx-1');
    expect(q?.get('limit')).toBe('30');
    expect(q?.get('verbose')).toBe('2');
  });

  it('sends no query at all for an unfiltered task list', async () => {
    stub.on('GET /tasks', json(200, []));
    await client.forCaller(AUTH).listTasks();
    expect(stub.requests[0]?.url).toBe('/tasks');
  });

  it('reads one task with GET /tasks/{id}, null timestamps kept', async () => {
    stub.on('GET /tasks/12', json(200, wireTask(12, 'queued')));
    const task = await client.forCaller(AUTH).getTask(12);
    expect(task).toMatchObject({ id: 12, state: 'queued', timestamp: null, started_at: null, result: null });
  });

  it('lists stemcells, releases and locks from their routes', async () => {
    stub.on('GET /stemcells', json(200, STEMCELLS));
    stub.on('GET /releases', json(200, RELEASES));
    stub.on('GET /locks', json(200, LOCKS, { 'content-type': 'application/json' }));
    const api = client.forCaller(AUTH);
    expect(await api.listStemcells()).toEqual(STEMCELLS);
    expect(await api.listReleases()).toEqual(RELEASES);
    expect(await api.listLocks()).toEqual(LOCKS);
    expect(stub.requests.map((r) => r.url)).toEqual(['/stemcells', '/releases', '/locks']);
  });

  it('lists deployments, with exclude_* flags only as the exact value true', async () => {
    stub.on('GET /deployments', json(200, DEPLOYMENTS));
    const api = client.forCaller(AUTH);
    expect(await api.listDeployments()).toEqual(DEPLOYMENTS);
    await api.listDeployments({
      excludeConfigs: true,
      excludeReleases: true,
      excludeStemcells: true,
      excludeLock: true,
    });
    await api.listDeployments({ excludeConfigs: false, excludeLock: true });
    expect(stub.requests.map((r) => r.url)).toEqual([
      '/deployments',
      '/deployments?exclude_configs=true&exclude_releases=true&exclude_stemcells=true&exclude_lock=true',
      '/deployments?exclude_lock=true',
    ]);
  });

  it('returns the manifest text, or null for a deployment never deployed', async () => {
    stub.on('GET /deployments/cf', json(200, { manifest: 'name: cf\n' }));
    stub.on('GET /deployments/new', json(200, { manifest: null }));
    const api = client.forCaller(AUTH);
    expect(await api.getDeploymentManifest('cf')).toBe('name: cf\n');
    expect(await api.getDeploymentManifest('new')).toBeNull();
  });

  it('lists VMs and instances without format', async () => {
    stub.on('GET /deployments/cf/vms', json(200, VMS));
    stub.on('GET /deployments/cf/instances', json(200, INSTANCES));
    const api = client.forCaller(AUTH);
    expect(await api.listVms('cf')).toEqual(VMS);
    expect(await api.listInstances('cf')).toEqual(JSON.parse(JSON.stringify(INSTANCES)));
    expect(stub.requests.map((r) => r.url)).toEqual(['/deployments/cf/vms', '/deployments/cf/instances']);
  });

  it('cancels a task with DELETE /task/{id} (singular) and accepts the 204', async () => {
    stub.on('DELETE /task/9', text(204, ''));
    await expect(client.forCaller(AUTH).cancelTask(9)).resolves.toBeUndefined();
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /task/9']);
  });

  it('encodes a deployment name so ../tasks cannot reach another route', async () => {
    stub.on('GET /deployments/..%2Ftasks', json(200, { manifest: null }));
    stub.on('GET /deployments/a%20b%3Fc%23d/vms', json(200, VMS));
    const api = client.forCaller(AUTH);
    expect(await api.getDeploymentManifest('../tasks')).toBeNull();
    await api.listVms('a b?c#d');
    expect(stub.requests.map((r) => r.url)).toEqual([
      '/deployments/..%2Ftasks',
      '/deployments/a%20b%3Fc%23d/vms',
    ]);
  });

  it('refuses dot segments as deployment names without sending anything', async () => {
    const api = client.forCaller(AUTH);
    await expect(api.getDeploymentManifest('..')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.deleteDeployment('.')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(stub.requests).toHaveLength(0);
  });
});
