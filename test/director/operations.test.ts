/**
 * The operations endpoints of the Director client against a scripted Director: what each call
 * sends (method, path, query, content type, body, context id) as bosh-cli sends it, and how the
 * Director's odd answers are read (a diff's 200 with an `error`, a missing route's 404).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient, isDirectorError } from '../../src/director/index.js';
import { json, type StubDirector, startStub, text } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46c2VjcmV0LXBhc3N3b3Jk';

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

const api = () => client.forCaller(AUTH);
const toTask = (id: number) => (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(302, { location: `https://10.0.0.6:25555/tasks/${id}` });
  res.end();
};
const last = () => stub.requests.at(-1)!;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('audit events', () => {
  it('sends every filter under the Director name, and nothing when none is given', async () => {
    stub.on('GET /events', json(200, [{ id: '9', timestamp: 1, context: {} }]));
    await api().listEvents();
    expect(last().url).toBe('/events');
    await api().listEvents({
      beforeId: 9,
      beforeTime: 200,
      afterTime: 100,
      task: '4',
      deployment: 'cf',
      instance: 'router/abc',
      user: 'admin',
      action: 'update',
      objectType: 'deployment',
      objectName: 'cf',
    });
    expect(Object.fromEntries(last().query)).toEqual({
      before_id: '9',
      before_time: '200',
      after_time: '100',
      task: '4',
      deployment: 'cf',
      instance: 'router/abc',
      user: 'admin',
      action: 'update',
      object_type: 'deployment',
      object_name: 'cf',
    });
  });
});

describe('diffs', () => {
  it('turns a deploy diff answered 200 with an error into DIFF_FAILED, first line scrubbed', async () => {
    stub.on(
      'POST /deployments/cf/diff',
      json(200, {
        diff: [],
        error: `Unable to diff manifest: #<RuntimeError: fetching ${stub.url}/x with password: hunter22>\n/var/vcap/packages/director/x.rb:1`,
      }),
    );
    const error = await failure(api().diffDeployment('cf', 'name: cf\n', true));
    expect(isDirectorError(error, 'DIFF_FAILED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('Unable to diff manifest');
    expect(message).not.toContain('/var/vcap');
    expect(message).not.toContain('hunter22');
    expect(message).not.toContain(stub.url);
    expect(last().headers['content-type']).toBe('text/yaml');
    expect(last().url).toBe('/deployments/cf/diff?redact=true');
    expect(last().body).toBe('name: cf\n');
  });

  it('reads the context ids of a deploy diff, and sends redact=false when asked', async () => {
    const answer = { context: { cloud_config_ids: [1, 6], runtime_config_ids: [2] }, diff: [['a', 'added']] };
    stub.on('POST /deployments/cf/diff', json(200, answer));
    expect(await api().diffDeployment('cf', 'name: cf\n', false)).toEqual(answer);
    expect(last().url).toBe('/deployments/cf/diff?redact=false');
  });

  it("reads a config diff's 400 error text as the refusal's message", async () => {
    stub.on(
      'POST /configs/diff',
      json(400, {
        diff: [],
        error: 'Unable to diff config content: #<Bosh::Director::BadConfig: YAML hash expected>',
      }),
    );
    const error = await failure(api().diffConfigs({ type: 'cloud', name: 'default', content: '- a' }));
    expect(isDirectorError(error, 'BAD_REQUEST')).toBe(true);
    expect((error as Error).message).toContain('YAML hash expected');
    expect(JSON.parse(last().body)).toEqual({ type: 'cloud', name: 'default', content: '- a' });
    expect(last().headers['content-type']).toBe('application/json');
  });
});

describe('certificate expiry on Directors without the endpoint', () => {
  it('is empty after a plain 404, and NOT_FOUND after a 70000 for a deployment gone', async () => {
    stub.on(
      'GET /director/certificate_expiry',
      text(404, "Endpoint '/director/certificate_expiry' not found."),
    );
    stub.on('GET /deployments/old/certificate_expiry', text(404, 'Not Found'));
    stub.on(
      'GET /deployments/gone/certificate_expiry',
      json(404, { code: 70000, description: "Deployment 'gone' doesn't exist" }),
    );
    expect(await api().directorCertificateExpiry()).toEqual([]);
    expect(await api().listCertificateExpiry('old')).toEqual([]);
    expect(isDirectorError(await failure(api().listCertificateExpiry('gone')), 'NOT_FOUND')).toBe(true);
  });
});

describe('instance state changes', () => {
  it('converges with PUT jobs/* as text/yaml with an empty body, query keys sorted', async () => {
    stub.on('PUT /deployments/cf/jobs/*', toTask(41));
    const id = await api().changeInstanceState(
      { deployment: 'cf', state: 'recreate', skipDrain: true, canaries: '1', maxInFlight: '25%', fix: true },
      'ui-1',
    );
    expect(id).toBe(41);
    expect(last().method).toBe('PUT');
    expect(last().url).toBe(
      '/deployments/cf/jobs/*?canaries=1&fix=true&max_in_flight=25%25&skip_drain=true&state=recreate',
    );
    expect(last().headers['content-type']).toBe('text/yaml');
    expect(last().body).toBe('');
    expect(last().headers['x-bosh-context-id']).toBe('ui-1');
  });

  it('names a group and an instance as encoded path segments', async () => {
    stub.on('PUT /deployments/cf/jobs/router%2Fx/0', toTask(42));
    await api().changeInstanceState({
      deployment: 'cf',
      instanceGroup: 'router/x',
      instance: '0',
      state: 'detached',
    });
    expect(last().url).toBe('/deployments/cf/jobs/router%2Fx/0?state=detached');
  });

  it('acts without converging with POST actions/{action} and only the flags set', async () => {
    stub.on('POST /deployments/cf/instance_groups/router/0/actions/stop', toTask(43));
    const id = await api().instanceAction({
      deployment: 'cf',
      instanceGroup: 'router',
      instance: '0',
      action: 'stop',
      hard: true,
      skipDrain: false,
    });
    expect(id).toBe(43);
    expect(last().url).toBe('/deployments/cf/instance_groups/router/0/actions/stop?hard=true');
  });

  it('ignores an instance with a JSON body and no task', async () => {
    stub.on('PUT /deployments/cf/instance_groups/router/0/ignore', text(200, ''));
    await api().ignoreInstance('cf', 'router', '0', true);
    expect(JSON.parse(last().body)).toEqual({ ignore: true });
    expect(last().headers['content-type']).toBe('application/json');
  });
});

describe('errands, cloud check, orphans and bulk cancel', () => {
  it('runs an errand with the hyphenated keys the Director reads', async () => {
    stub.on('POST /deployments/zk/errands/smoke-tests/runs', toTask(50));
    await api().runErrand(
      'zk',
      'smoke-tests',
      { keepAlive: true, instances: [{ group: 'zookeeper', id: '0' }, { group: 'smoke-tests' }] },
      'ctx',
    );
    expect(JSON.parse(last().body)).toEqual({
      'keep-alive': true,
      'when-changed': false,
      instances: [{ group: 'zookeeper', id: '0' }, { group: 'smoke-tests' }],
    });
    expect(last().headers['x-bosh-context-id']).toBe('ctx');
  });

  it('scans, resolves with a resolutions map, and deletes an orphaned disk by encoded cid', async () => {
    stub.on('POST /deployments/cf/scans', toTask(51));
    stub.on('PUT /deployments/cf/problems', toTask(52));
    stub.on('DELETE /disks/disk%2F1', toTask(53));
    expect(await api().scanDeployment('cf')).toBe(51);
    expect(await api().resolveProblems('cf', { '1': 'recreate_vm', '2': null })).toBe(52);
    expect(JSON.parse(last().body)).toEqual({ resolutions: { '1': 'recreate_vm', '2': null } });
    expect(await api().deleteOrphanedDisk('disk/1')).toBe(53);
  });

  it('cancels tasks sending only the keys given', async () => {
    stub.on('POST /tasks/cancel', text(204, ''));
    await api().cancelTasks({});
    expect(JSON.parse(last().body)).toEqual({});
    await api().cancelTasks({ states: ['processing'], deployment: 'cf', types: ['update_deployment'] });
    expect(JSON.parse(last().body)).toEqual({
      states: ['processing'],
      deployment: 'cf',
      types: ['update_deployment'],
    });
  });
});

describe('configs', () => {
  it('creates with a JSON body, and deletes by type and name: false when none was live', async () => {
    const row = {
      content: 'a: 1\n',
      id: '7',
      type: 'cloud',
      name: 'default',
      team: null,
      created_at: '2026-01-15 10:00:00 UTC',
      current: true,
    };
    stub.on('POST /configs', json(201, row));
    stub.on('DELETE /configs', text(204, ''), (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html;charset=utf-8' });
      res.end();
    });
    expect(await api().createConfig({ type: 'cloud', name: 'default', content: 'a: 1\n' })).toEqual(row);
    expect(JSON.parse(last().body)).toEqual({ type: 'cloud', name: 'default', content: 'a: 1\n' });
    expect(await api().deleteConfig('cloud', 'default')).toBe(true);
    expect(last().url).toBe('/configs?type=cloud&name=default');
    expect(await api().deleteConfig('cloud', 'default')).toBe(false);
  });

  it('deploys with the context of a diff, as the JSON bosh-cli copies from it', async () => {
    stub.on('POST /deployments', toTask(60));
    await api().deploy('name: cf\n', { context: { cloudConfigIds: [1, 6], runtimeConfigIds: [2] } });
    expect(JSON.parse(last().query.get('context')!)).toEqual({
      cloud_config_ids: [1, 6],
      runtime_config_ids: [2],
    });
  });
});
