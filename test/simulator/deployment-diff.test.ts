import { describe, expect, it } from 'vitest';
import { changeset } from '../../src/simulator/diff/changeset.js';
import { psychLines } from '../../src/simulator/diff/psych.js';
import { DEMO_MANIFEST, eachManualSim } from './helpers.js';

const t = eachManualSim();

const yaml = { 'content-type': 'text/yaml' };
const post = (name: string, body: string, query = '', user = 'admin') =>
  t.call('POST', `/deployments/${name}/diff${query}`, user, { headers: yaml, body });

describe('POST /deployments/{d}/diff', () => {
  it('is empty for a no-op deploy, and carries the config ids as integers', async () => {
    const r = await post('redis', t.sim.deployments.manifest('redis')!);
    expect(r.json()).toEqual({ context: { cloud_config_ids: [6], runtime_config_ids: [2, 3] }, diff: [] });
  });

  it('shows only the changed keys, under their parents and name anchors, redacted by default', async () => {
    const changed = t.sim.deployments
      .manifest('redis')!
      .replace('maxmemory: 1gb', 'maxmemory: 2gb')
      .replace('instances: 2', 'instances: 3');
    expect((await post('redis', changed)).json().diff).toEqual([
      ['instance_groups:', null],
      ['- name: redis', null],
      ['  instances: 2', 'removed'],
      ['  instances: 3', 'added'],
      ['  jobs:', null],
      ['  - name: redis', null],
      ['    properties:', null],
      ['      maxmemory: "<redacted>"', 'removed'],
      ['      maxmemory: "<redacted>"', 'added'],
    ]);
    const plain = (await post('redis', changed, '?redact=false')).json().diff;
    expect(plain.slice(-2)).toEqual([
      ['      maxmemory: 1gb', 'removed'],
      ['      maxmemory: 2gb', 'added'],
    ]);
  });

  it('forces the name to the deployment’s, and shows a pending cloud config change on an old deployment', async () => {
    const cf = t.sim.deployments.manifest('cf')!.replace('name: cf', 'name: other');
    const diff = (await post('cf', cf)).json().diff;
    expect(diff).toEqual([
      ['vm_types:', null],
      ['- name: medium', 'added'],
      ['  cloud_properties:', 'added'],
      ['    cpu: 2', 'added'],
      ['    ram: 8192', 'added'],
      ['    ephemeral_disk: 30720', 'added'],
    ]);
  });

  it('lists every cloud config section, the runtime addons and the manifest as added for a new deployment', async () => {
    const diff = (await post('demo', DEMO_MANIFEST)).json().diff as [string, string | null][];
    const headers = diff.filter(([text]) => /^[a-z_]+:/.test(text)).map(([text]) => text);
    // Sections are keyed by their header text, so `name: demo` is not the `name:` of the fixed
    // order and keeps its place among the others.
    expect(headers.slice(0, 9)).toEqual([
      'azs:',
      'vm_types:',
      'compilation:',
      'networks:',
      'disk_types:',
      'stemcells:',
      'releases:',
      'update:',
      'addons:',
    ]);
    expect(headers).toContain('name: demo');
    expect(diff).toContainEqual(['- name: bosh-dns', 'added']);
    expect(diff.filter(([, s]) => s === null).every(([text]) => text === '')).toBe(true);
  });

  it('answers errors as 200 with an empty diff and no context', async () => {
    const r = await post('redis', '');
    expect(r.status).toBe(200);
    expect(r.json().context).toBeUndefined();
    expect(r.json().error).toMatch(
      /^Unable to diff manifest: #<Bosh::Director::BadManifest: Manifest should not be empty>\n/,
    );
  });

  it('checks admin on d, or create_deployment for a new one, before the content type', async () => {
    expect((await post('cf', 'name: cf', '', 'reader')).status).toBe(401);
    expect((await post('brand-new', 'name: x', '', 'alpha-admin')).status).toBe(200);
    const wrongType = await t.call('POST', '/deployments/cf/diff', 'reader', {
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(wrongType.status).toBe(401);
    const admin = await t.call('POST', '/deployments/cf/diff', 'admin', {
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(admin.status).toBe(404);
  });
});

describe('the diff lines', () => {
  it('order known sections first, each after a blank line, the first blank dropped', () => {
    expect(changeset({ name: 'a' }, { name: 'b' })).toEqual([
      ['name: a', 'removed'],
      ['', null],
      ['name: b', 'added'],
    ]);
    expect(
      changeset({ zz: 1, releases: [] }, { zz: 2, releases: [{ name: 'r', version: '1' }] }).map(([l]) => l),
    ).toEqual(['releases:', '- name: r', "  version: '1'", '', 'zz: 1', '', 'zz: 2']);
  });

  it('pair hashes by name inside arrays and diff them under a name anchor', () => {
    const before = {
      instance_groups: [
        { name: 'a', instances: 1 },
        { name: 'b', instances: 1 },
      ],
    };
    const after = {
      instance_groups: [{ name: 'a', instances: 2 }, { name: 'b', instances: 1 }, { name: 'c' }],
    };
    expect(changeset(before, after)).toEqual([
      ['instance_groups:', null],
      ['- name: a', null],
      ['  instances: 1', 'removed'],
      ['  instances: 2', 'added'],
      ['- name: c', 'added'],
    ]);
  });

  it('redact leaves under properties and bosh hashes, and basic-auth credentials in release urls', () => {
    const after = {
      releases: [{ name: 'r', url: 'https://user:pass@example.com/r.tgz' }],
      env: { bosh: { password: 'x' } },
    };
    expect(changeset({}, after).map(([l]) => l)).toEqual([
      'releases:',
      '- name: r',
      '  url: https://<redacted>:<redacted>@example.com/r.tgz',
      '',
      'env:',
      '  bosh:',
      '    password: "<redacted>"',
    ]);
  });

  it('print YAML as Psych does', () => {
    expect(
      psychLines({
        a: null,
        b: '',
        c: 'true',
        d: '1.5',
        e: '((secret))',
        f: 'x: y',
        g: 'two\nlines',
        h: [],
        i: {},
      }),
    ).toEqual([
      'a:',
      "b: ''",
      "c: 'true'",
      "d: '1.5'",
      'e: "((secret))"',
      "f: 'x: y'",
      'g: |-',
      '  two',
      '  lines',
      'h: []',
      'i: {}',
    ]);
    expect(psychLines([[1, 2], { k: [3] }])).toEqual(['- - 1', '  - 2', '- k:', '  - 3']);
  });
});
