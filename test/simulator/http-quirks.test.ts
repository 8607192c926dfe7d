import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim, request, taskIdFrom } from './helpers.js';

const t = eachManualSim();

describe('GET /info', () => {
  it('answers without credentials, as application/json, with user null and basic auth advertised', async () => {
    const r = await t.get('/info', null);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const info = r.json();
    expect(info.user).toBeNull();
    expect(info.user_authentication).toEqual({ type: 'basic', options: {} });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+ \([0-9a-f]{8}\)$/);
    expect(info.uuid).toBe(t.sim.uuid);
    expect(info.stemcell_os).toBe('ubuntu-jammy');
    expect(typeof info.stemcell_version).toBe('string');
    expect(info.features.local_dns).toEqual({ status: true, extras: { domain_name: 'bosh' } });
    expect(info.features.snapshots.status).toBe(false);
    expect(info.features.config_server.status).toBe(true);
  });

  it('names the user when valid credentials are sent, and ignores invalid ones without a 401', async () => {
    expect((await t.get('/info', 'reader')).json().user).toBe('reader');
    const bad = await request(t.sim.url, 'GET', '/info', {
      auth: `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
    });
    expect(bad.status).toBe(200);
    expect(bad.json().user).toBeNull();
  });
});

describe('errors and content types', () => {
  it('answers 401 in plain text with a Basic challenge when credentials are missing', async () => {
    const r = await t.get('/deployments', null);
    expect(r.status).toBe(401);
    expect(r.text).toBe("Not authorized: '/deployments'\n");
    expect(r.headers['www-authenticate']).toBe('Basic realm="BOSH Director"');
  });

  it('answers 401 in plain text for a wrong password too', async () => {
    const r = await request(t.sim.url, 'GET', '/tasks', {
      auth: `Basic ${Buffer.from('admin:nope').toString('base64')}`,
    });
    expect(r.status).toBe(401);
    expect(r.text).toBe("Not authorized: '/tasks'\n");
  });

  it('sets the Basic challenge on every authenticated route, successful answers included, but not on /info', async () => {
    expect((await t.get('/deployments')).headers['www-authenticate']).toBe('Basic realm="BOSH Director"');
    expect((await t.get('/tasks/999999')).headers['www-authenticate']).toBe('Basic realm="BOSH Director"');
    expect((await t.get('/info')).headers['www-authenticate']).toBeUndefined();
    expect((await t.get('/nope')).headers['www-authenticate']).toBeUndefined();
  });

  it('answers 401 with JSON code 600000 when authenticated but forbidden', async () => {
    const r = await t.get('/locks', 'alpha-admin');
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(r.json().code).toBe(600000);
    expect(r.json().description).toMatch(/^Require one of the scopes: bosh\.admin, /);
  });

  it('answers a path under no Director mount as the mapping in front of the controllers does', async () => {
    for (const user of ['admin', null]) {
      const r = await t.get('/nope/nothing', user);
      expect(r.status).toBe(404);
      expect(r.headers['content-type']).toBe('text/plain');
      expect(r.text).toBe('Not Found: /nope/nothing');
    }
    expect((await t.get('/')).text).toBe('Not Found: /');
    expect((await t.get('/informational')).text).toBe('Not Found: /informational');
  });

  it('answers an unknown route under a mount with the controller’s plain-text 404', async () => {
    const r = await t.get('/deployments/cf/nothing-here/at-all');
    expect(r.status).toBe(404);
    expect(r.text).toBe("Endpoint '/deployments/cf/nothing-here/at-all' not found.");
    expect((await t.get('/info/more', null)).text).toBe("Endpoint '/info/more' not found.");
  });

  it('asks for credentials before saying an unknown route under a Director mount does not exist', async () => {
    expect((await t.get('/deployments/cf/nothing-here/at-all', null)).status).toBe(401);
    expect((await t.get('/deployments/cf/nothing-here/at-all')).status).toBe(404);
  });

  it('labels JSON error bodies text/html;charset=utf-8', async () => {
    const r = await t.get('/tasks/999999');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(r.json()).toEqual({ code: 10000, description: 'Task 999999 not found' });
  });

  it('labels list routes text/html but tasks, info and locks application/json', async () => {
    for (const path of ['/deployments', '/stemcells', '/releases', '/deployments/cf/vms']) {
      expect((await t.get(path)).headers['content-type'], path).toBe('text/html;charset=utf-8');
    }
    for (const path of ['/tasks', '/tasks/1', '/locks']) {
      expect((await t.get(path)).headers['content-type'], path).toBe('application/json');
    }
  });

  it('sends a Date header taken from the simulated clock', async () => {
    const r = await t.get('/info', null);
    expect(r.headers.date).toBe(new Date(t.clock.now()).toUTCString());
    await t.clock.advance(3_600_000);
    expect((await t.get('/info', null)).headers.date).toBe(new Date(t.clock.now()).toUTCString());
  });

  it('refuses an over-long context id before routing, on any path of a mount, /info included', async () => {
    const long = { 'x-bosh-context-id': 'x'.repeat(65) };
    for (const path of ['/deployments/cf/nothing-here', '/tasks/999999', '/info', '/locks']) {
      const r = await t.get(path, 'admin', { headers: long });
      expect(r.status, path).toBe(400);
      expect(r.json().code, path).toBe(70010);
    }
    // Authentication comes first.
    expect((await t.get('/tasks', null, { headers: long })).status).toBe(401);
  });

  it('rejects a context id longer than 64 characters with 400 and code 70010', async () => {
    const r = await t.get('/deployments', 'admin', { headers: { 'x-bosh-context-id': 'x'.repeat(65) } });
    expect(r.status).toBe(400);
    expect(r.json().code).toBe(70010);
    expect(
      (await t.get('/deployments', 'admin', { headers: { 'x-bosh-context-id': 'x'.repeat(64) } })).status,
    ).toBe(200);
  });

  it('answers 500 with an empty body for a request it cannot process', async () => {
    const r = await t.call('POST', '/deployments?context=%7Bnot-json', 'admin', {
      headers: { 'content-type': 'text/yaml' },
      body: DEMO_MANIFEST,
    });
    expect(r.status).toBe(500);
    expect(r.text).toBe('');
  });
});

describe('POST /deployments', () => {
  const yaml = { 'content-type': 'text/yaml' };

  it('redirects with 302 to an absolute task URL built from the Host header', async () => {
    const r = await t.call('POST', '/deployments', 'admin', {
      headers: { ...yaml, host: 'director.example.com:25555' },
      body: DEMO_MANIFEST,
    });
    expect(r.status).toBe(302);
    expect(r.headers.location).toMatch(/^http:\/\/director\.example\.com:25555\/tasks\/\d+$/);
    expect(r.text).toBe('');
  });

  it('accepts text/yaml with parameters but answers any other type with the plain-text 404', async () => {
    const ok = await t.call('POST', '/deployments', 'admin', {
      headers: { 'content-type': 'text/yaml; charset=utf-8' },
      body: DEMO_MANIFEST,
    });
    expect(ok.status).toBe(302);
    for (const type of ['application/x-yaml', 'application/json', 'text/plain']) {
      const r = await t.call('POST', '/deployments', 'admin', {
        headers: { 'content-type': type },
        body: DEMO_MANIFEST,
      });
      expect(r.status, type).toBe(404);
      expect(r.text).toBe("Endpoint '/deployments' not found.");
    }
  });

  it('rejects an empty or non-hash manifest with 440001 and a nameless one with 40001', async () => {
    const empty = await t.call('POST', '/deployments', 'admin', { headers: yaml, body: '' });
    expect(empty.status).toBe(400);
    expect(empty.json()).toEqual({ code: 440001, description: 'Manifest should not be empty' });
    const list = await t.call('POST', '/deployments', 'admin', { headers: yaml, body: '- a\n- b\n' });
    expect(list.json().code).toBe(440001);
    const broken = await t.call('POST', '/deployments', 'admin', {
      headers: yaml,
      body: 'name: [unclosed\n',
    });
    expect(broken.json().code).toBe(440001);
    expect(broken.json().description).toMatch(/^Incorrect YAML structure of the uploaded manifest: /);
    const nameless = await t.call('POST', '/deployments', 'admin', { headers: yaml, body: 'releases: []\n' });
    expect(nameless.status).toBe(400);
    expect(nameless.json()).toEqual({
      code: 40001,
      description: "Deployment manifest must have a 'name' key",
    });
  });

  it('stores the context id on the deploy task', async () => {
    const r = await t.call('POST', '/deployments', 'admin', {
      headers: { ...yaml, 'x-bosh-context-id': 'ctx-123' },
      body: DEMO_MANIFEST,
    });
    expect(t.sim.tasks.get(taskIdFrom(r))?.context_id).toBe('ctx-123');
  });
});

describe('path segments', () => {
  it('decodes each segment after routing, so ..%2Ftasks is a deployment name, not a path', async () => {
    const r = await t.get('/deployments/..%2Ftasks');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ code: 70000, description: "Deployment '../tasks' doesn't exist" });
  });

  it('decodes spaces and other escapes in deployment names', async () => {
    const r = await t.get('/deployments/my%20dep/vms');
    expect(r.json().description).toBe("Deployment 'my dep' doesn't exist");
  });
});
