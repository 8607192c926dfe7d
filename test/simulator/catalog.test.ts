import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, manualSim, type TestSim } from './helpers.js';

let t: TestSim;
beforeEach(async () => {
  t = await manualSim();
});
afterEach(async () => {
  await t.sim.stop();
});

describe('GET /deployments', () => {
  it('lists the seeded deployments by name with teams, cloud config state, stemcells, releases and lock', async () => {
    const list = (await t.get('/deployments')).json();
    expect(list.map((d: { name: string }) => d.name)).toEqual(['cf', 'concourse', 'redis', 'zookeeper']);
    expect(Object.keys(list[0])).toEqual([
      'name',
      'teams',
      'cloud_config',
      'stemcells',
      'releases',
      'locked',
    ]);
    const byName = Object.fromEntries(list.map((d: { name: string }) => [d.name, d]));
    expect(byName.cf.teams).toEqual([]);
    expect(byName.zookeeper.teams).toEqual(['alpha']);
    expect(byName.redis.teams).toEqual(['beta']);
    // cf was last deployed before the second cloud config.
    expect(byName.cf.cloud_config).toBe('outdated');
    expect(byName.zookeeper.cloud_config).toBe('latest');
    const names = byName.cf.releases.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort());
  });

  it('applies exclude flags only for the exact value true, and always keeps teams', async () => {
    const all = (
      await t.get(
        '/deployments?exclude_configs=true&exclude_releases=true&exclude_stemcells=true&exclude_lock=true',
      )
    ).json();
    expect(Object.keys(all[0])).toEqual(['name', 'teams']);
    const notLock = (
      await t.get('/deployments?exclude_configs=true&exclude_releases=true&exclude_stemcells=true')
    ).json();
    expect(Object.keys(notLock[0])).toEqual(['name', 'teams', 'locked']);
    const yes = (await t.get('/deployments?exclude_releases=1&exclude_stemcells=TRUE')).json();
    expect(Object.keys(yes[0])).toContain('releases');
    expect(Object.keys(yes[0])).toContain('stemcells');
  });
});

describe('GET /stemcells and GET /releases', () => {
  it('lists two jammy stemcells, one of them unused', async () => {
    const stemcells = (await t.get('/stemcells')).json();
    expect(stemcells.map((s: { version: string }) => s.version)).toEqual(['1.404', '1.445']);
    expect(Object.keys(stemcells[0])).toEqual([
      'name',
      'operating_system',
      'version',
      'cid',
      'cpi',
      'deployments',
      'api_version',
      'id',
    ]);
    expect(stemcells[0]).toMatchObject({
      operating_system: 'ubuntu-jammy',
      cpi: '',
      deployments: [],
      api_version: 3,
    });
    expect(stemcells[1].deployments.length).toBeGreaterThan(0);
  });

  it('lists releases by name with versions in semi-semantic order and currently_deployed flags', async () => {
    const releases = (await t.get('/releases')).json();
    const names = releases.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort());
    const dev = releases.find((r: { name: string }) => r.name === 'sim-app');
    expect(dev.release_versions.map((v: { version: string }) => v.version)).toEqual(['0+dev.9', '0+dev.17']);
    expect(dev.release_versions[1].uncommitted_changes).toBe(true);
    const nats = releases.find((r: { name: string }) => r.name === 'nats');
    expect(nats.release_versions.map((v: { currently_deployed: boolean }) => v.currently_deployed)).toEqual([
      true,
      false,
    ]);
    expect(Object.keys(nats.release_versions[0])).toEqual([
      'version',
      'commit_hash',
      'uncommitted_changes',
      'currently_deployed',
      'job_names',
    ]);
  });
});

describe('GET /configs', () => {
  it('requires latest and lists the current cloud and runtime configs', async () => {
    const missing = await t.get('/configs');
    expect(missing.status).toBe(400);
    expect(missing.json().code).toBe(40001);
    const latest = (await t.get('/configs?latest=true')).json();
    expect(latest.map((c: { type: string }) => c.type).sort()).toEqual(['cloud', 'runtime']);
    expect(latest.every((c: { current: boolean }) => c.current)).toBe(true);
    const clouds = (await t.get('/configs?latest=false&type=cloud')).json();
    expect(clouds).toHaveLength(2);
    expect(clouds.map((c: { current: boolean }) => c.current)).toEqual([true, false]);
    expect(clouds[0].content).toContain('azs:');
  });
});

describe('POST /deployments/{name}/diff', () => {
  it('answers the current config ids and every line as added for a new deployment', async () => {
    const r = await t.call('POST', '/deployments/demo/diff', 'admin', {
      headers: { 'content-type': 'text/yaml' },
      body: DEMO_MANIFEST,
    });
    expect(r.status).toBe(200);
    const body = r.json();
    const ids = (await t.get('/configs?latest=true')).json();
    expect(body.context.cloud_config_ids).toEqual([
      Number(ids.find((c: { type: string }) => c.type === 'cloud').id),
    ]);
    expect(body.diff.length).toBeGreaterThan(5);
    expect(body.diff.every((d: [string, string | null]) => d[1] === 'added')).toBe(true);
    expect(body.diff[0]).toEqual(['name: demo', 'added']);
  });

  it('marks only changed lines and redacts property values unless redact=false', async () => {
    const manifest = t.sim.deployments.manifest('redis')!;
    const changed = manifest
      .replace('maxmemory: 1gb', 'maxmemory: 2gb')
      .replace('instances: 2', 'instances: 3');
    const post = (path: string) =>
      t.call('POST', path, 'admin', { headers: { 'content-type': 'text/yaml' }, body: changed });
    const diff = (await post('/deployments/redis/diff')).json().diff as [string, string | null][];
    const marked = diff.filter((d) => d[1] !== null);
    expect(marked).toEqual([
      ['    instances: 2', 'removed'],
      ['    instances: 3', 'added'],
    ]);
    expect(diff.some((d) => d[0].includes('<redacted>'))).toBe(true);
    const plain = (await post('/deployments/redis/diff?redact=false')).json().diff as [
      string,
      string | null,
    ][];
    expect(plain.filter((d) => d[1] !== null).map((d) => d[0])).toContain('          maxmemory: 2gb');
  });

  it('accepts the returned context on the deploy, and rejects unknown config ids with 190025', async () => {
    const context = encodeURIComponent(JSON.stringify({ cloud_config_ids: [999], runtime_config_ids: [] }));
    const r = await t.call('POST', `/deployments?context=${context}`, 'admin', {
      headers: { 'content-type': 'text/yaml' },
      body: DEMO_MANIFEST,
    });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe(190025);
  });
});
