import { describe, expect, it } from 'vitest';
import { SimState } from '../../src/simulator/state.js';
import { deploymentToWire } from '../../src/simulator/wire.js';
import { DEMO_MANIFEST, eachManualSim } from './helpers.js';

const t = eachManualSim();

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

describe('deployment releases', () => {
  it('are ordered by plain string comparison of name, then version, as the Director sorts its columns', () => {
    const d = {
      name: 'x',
      teams: [],
      manifest: null,
      releases: [
        { name: 'b', version: '9' },
        { name: 'B', version: '1' },
        { name: 'b', version: '10' },
      ],
      stemcells: [],
      cloudConfigIds: [],
      runtimeConfigIds: [],
      instances: [],
    };
    const wire = deploymentToWire(d, new SimState(1), {
      configs: true,
      releases: false,
      stemcells: true,
      lock: true,
    });
    expect(wire.releases).toEqual([
      { name: 'B', version: '1' },
      { name: 'b', version: '10' },
      { name: 'b', version: '9' },
    ]);
  });
});

describe('POST /deployments context', () => {
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
