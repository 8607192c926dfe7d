import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim } from './helpers.js';

const t = eachManualSim();

const json = { 'content-type': 'application/json' };
const yaml = { 'content-type': 'text/yaml' };
type Row = { id: string; type: string; name: string; team: string | null; current: boolean };
const names = (rows: Row[]) => rows.map((c) => `${c.type}/${c.name}#${c.id}`);

describe('GET /configs', () => {
  it('needs no latest, gives the newest of each type and name, ordered type, default first, name', async () => {
    const r = await t.get('/configs');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(names(r.json())).toEqual([
      'cloud/default#6',
      'cloud/alpha#5',
      'cpi/default#4',
      'runtime/default#3',
      'runtime/dns#2',
    ]);
    expect(Object.keys(r.json()[0])).toEqual([
      'content',
      'id',
      'type',
      'name',
      'team',
      'created_at',
      'current',
    ]);
    expect(r.json()[0].created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  });

  it('applies limit per type and name, and latest=false gives the whole history', async () => {
    expect(names((await t.get('/configs?type=cloud&limit=2')).json())).toEqual([
      'cloud/default#6',
      'cloud/default#1',
      'cloud/alpha#5',
    ]);
    const history = (await t.get('/configs?latest=false&type=cloud&name=default')).json();
    expect(history.map((c: Row) => c.current)).toEqual([true, false]);
  });

  it('refuses a limit that is not a canonical integer and a latest that is not true or false', async () => {
    for (const [query, description] of [
      ['limit=007', "'limit' must be a number"],
      ['limit=x', "'limit' must be a number"],
      ['limit=0', "'limit' must be larger than zero"],
      ['latest=bogus', "'latest' must be 'true' or 'false'"],
    ]) {
      const r = await t.get(`/configs?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.json(), query).toEqual({ code: 440010, description });
    }
  });

  it('admits team readers and shows each one only its team’s rows, global ones only to director readers', async () => {
    expect(names((await t.get('/configs', 'alpha-reader')).json())).toEqual(['cloud/alpha#5']);
    expect((await t.get('/configs', 'beta-admin')).json()).toEqual([]);
    expect((await t.get('/configs', 'reader')).json()).toHaveLength(5);
  });
});

describe('GET /configs/{id}', () => {
  it('shows a live config to director readers, 404 440012 otherwise, 401 before the lookup', async () => {
    expect((await t.get('/configs/2', 'reader')).json().name).toBe('dns');
    expect((await t.get('/configs/99')).json()).toEqual({ code: 440012, description: 'Config 99 not found' });
    expect((await t.get('/configs/01')).json().code).toBe(440012);
    expect((await t.get('/configs/99', 'alpha-admin')).status).toBe(401);
  });
});

describe('POST /configs', () => {
  const post = (body: unknown, user = 'admin') =>
    t.call('POST', '/configs', user, {
      headers: json,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers 201 with the new row, or the unchanged current one, and records a create event', async () => {
    const r = await post({ type: 'custom', name: 'one', content: 'a: 1\n' });
    expect(r.status).toBe(201);
    expect(r.json()).toMatchObject({ id: '7', type: 'custom', name: 'one', team: null, current: true });
    const again = await post({ type: 'custom', name: 'one', content: 'a: 1\n' });
    expect(again.status).toBe(201);
    expect(again.json().id).toBe('7');
    const [event] = (await t.get('/events?object_type=config/custom')).json();
    expect(event).toMatchObject({ action: 'create', object_name: 'one', user: 'admin' });
  });

  it('checks JSON, type and name, YAML content, expected_latest_id, then ownership, in that order', async () => {
    expect((await post('nope')).json().code).toBe(710001);
    expect((await post([])).json()).toEqual({ code: 440010, description: 'JSON object expected' });
    expect((await post({ name: 'x', content: 'a: 1' })).json().description).toBe("'type' is required");
    expect((await post({ type: 1, name: 'x', content: 'a: 1' })).json().description).toBe(
      "'type' must be a string",
    );
    expect((await post({ type: 'x', name: 'x', content: '- 1' })).json()).toEqual({
      code: 440011,
      description: 'YAML hash expected',
    });
    const stale = await post({ type: 'cloud', name: 'default', content: 'a: 1', expected_latest_id: '1' });
    expect(stale.status).toBe(412);
    expect(stale.json()).toEqual({
      latest_id: '6',
      expected_latest_id: '1',
      description: "Latest Id: '6' does not match expected latest id",
    });
    const global = await post({ type: 'cloud', name: 'default', content: 'a: 1' }, 'alpha-admin');
    expect(global.status).toBe(401);
    const own = await post({ type: 'cloud', name: 'alpha', content: 'a: 2' }, 'alpha-admin');
    expect(own.json()).toMatchObject({ team: 'alpha', current: true });
  });

  it('re-dumps a runtime config with its release versions as strings', async () => {
    const r = await post({ type: 'runtime', name: 'v', content: 'releases:\n- name: a\n  version: 2\n' });
    expect(r.json().content).toBe("---\nreleases:\n- name: a\n  version: '2'\n");
  });
});

describe('POST /configs/diff', () => {
  const diff = (body: unknown) =>
    t.call('POST', '/configs/diff', 'admin', { headers: json, body: JSON.stringify(body) });

  it('diffs ids, contents and the current config, always redacted', async () => {
    const byIds = (await diff({ from: { id: '1', content: '' }, to: { id: '6', content: '' } })).json();
    expect(byIds.diff[0]).toEqual(['vm_types:', null]);
    expect(byIds.diff).toContainEqual(['- name: medium', 'added']);
    const contents = (await diff({ from: { content: 'a: 5' }, to: { content: 'b: 5' } })).json();
    expect(contents).toEqual({
      diff: [
        ['a: 5', 'removed'],
        ['', null],
        ['b: 5', 'added'],
      ],
    });
    const current = (
      await diff({ type: 'new', name: 'x', content: 'azs:\n- name: az1\n  properties: {p: 1}\n' })
    ).json();
    expect(current).toEqual({
      from: { id: '0' },
      diff: [
        ['azs:', 'added'],
        ['- name: az1', 'added'],
        ['  properties:', 'added'],
        ['    p: "<redacted>"', 'added'],
      ],
    });
  });

  it('refuses other bodies with the fixed text, bad content with an error and unknown ids with 440012', async () => {
    const r = await diff({ from: { id: 3 }, to: { id: '4' } });
    expect(r.status).toBe(400);
    expect(r.json().description).toMatch(/^The following request formats are allowed:\n1\. /);
    const bad = await diff({ from: { content: '' }, to: { content: 'a: 1' } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({
      diff: [],
      error: 'Unable to diff config content: #<Bosh::Director::BadConfig: YAML hash expected>',
    });
    expect((await diff({ from: { id: '99' }, to: { id: '1' } })).json().code).toBe(440012);
  });
});

describe('deleting configs', () => {
  it('soft-deletes every version by type and name, 404 with no body when none is live', async () => {
    expect((await t.call('DELETE', '/configs?type=runtime&name=dns')).status).toBe(204);
    expect(names((await t.get('/configs?type=runtime')).json())).toEqual(['runtime/default#3']);
    const again = await t.call('DELETE', '/configs?type=runtime&name=dns');
    expect(again.status).toBe(404);
    expect(again.text).toBe('');
    expect((await t.call('DELETE', '/configs?type=runtime')).json().description).toBe("'name' is required");
  });

  it('deletes one by id, refusing another owner', async () => {
    expect((await t.call('DELETE', '/configs/5', 'beta-admin')).status).toBe(401);
    expect((await t.call('DELETE', '/configs/5', 'alpha-admin')).status).toBe(204);
    expect((await t.get('/configs/5')).status).toBe(404);
  });
});

describe('legacy config routes', () => {
  it('require limit in plain text and list newest first as properties', async () => {
    expect((await t.get('/cloud_configs')).text).toBe('limit is required');
    expect((await t.get('/cloud_configs?limit=x')).text).toBe("limit is invalid: 'x' is not an integer");
    const rows = (await t.get('/cloud_configs?limit=5')).json();
    expect(rows).toHaveLength(2);
    expect(rows[0].properties).toContain('medium');
    expect((await t.get('/runtime_configs?limit=1&name=dns')).json()[0].properties).toContain('bosh-dns');
    expect((await t.get('/cpi_configs?limit=1')).json()[0].properties).toContain('warden');
    expect((await t.get('/cpi_configs?limit=1', 'reader')).status).toBe(401);
  });

  it('store a changed config with an empty 201 and an update event, and diff cloud configs unredacted', async () => {
    const body = 'azs: [{name: z9, properties: {secret: s}}]\n';
    const diff = await t.call('POST', '/cloud_configs/diff', 'admin', { headers: yaml, body });
    expect(diff.json().diff).toContainEqual(['    secret: s', 'added']);
    const r = await t.call('POST', '/cloud_configs', 'admin', { headers: yaml, body });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
    expect((await t.get('/cloud_configs?limit=1')).json()[0].properties).toBe(body);
    const [event] = (await t.get('/events?object_type=cloud-config')).json();
    expect(event).toMatchObject({ action: 'update', object_name: 'default' });
    const empty = await t.call('POST', '/cloud_configs', 'admin', { headers: yaml, body: '' });
    expect(empty.json()).toEqual({ code: 440001, description: 'Manifest should not be empty' });
  });

  it('redact runtime config diffs unless redact=false', async () => {
    const body = 'addons: [{name: a, properties: {k: v}}]\nreleases: []\n';
    const post = (q: string) => t.call('POST', `/runtime_configs/diff${q}`, 'admin', { headers: yaml, body });
    expect((await post('')).json().diff).toContainEqual(['    k: "<redacted>"', 'added']);
    expect((await post('?redact=false')).json().diff).toContainEqual(['    k: v', 'added']);
  });
});

describe('GET /locks', () => {
  it('lists the locks of running tasks with string timeout and task id', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    await t.clock.advance(1_000);
    const r = await t.get('/locks', 'reader');
    expect(r.headers['content-type']).toBe('application/json');
    const [lock] = r.json();
    expect(lock).toEqual({
      type: 'deployment',
      resource: ['demo'],
      timeout: expect.stringMatching(/^\d+\.\d{6}$/),
      task_id: String(id),
    });
    expect(Number(lock.timeout)).toBeGreaterThan(t.clock.now() / 1000 + 200);
    await t.finish(id);
    expect((await t.get('/locks')).json()).toEqual([]);
  });
});
