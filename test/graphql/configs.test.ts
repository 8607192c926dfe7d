/**
 * Configs and diffs through the gateway: the Director's lists and versions, config and deploy
 * diffs as typed lines, updates that say when nothing changed, deletes, and a deploy that uses
 * exactly the configs its diff showed. Permissions are the Director's.
 */
import { describe, expect, it } from 'vitest';
import { fileGateway } from '../helpers/file-gateway.js';
import { codes, directorGet, writes } from './support.js';

interface WireConfig {
  id: string;
  type: string;
  name: string;
  team: string | null;
  content: string;
  current: boolean;
}

const UPDATE = `mutation($type: String!, $name: String, $content: String!) {
  updateConfig(type: $type, name: $name, content: $content) { id type name team content current unchanged }
}`;
const DELETE = 'mutation($type: String!, $name: String) { deleteConfig(type: $type, name: $name) }';
const DIFF = `query($manifest: String!) {
  deploymentDiff(manifest: $manifest) { lines { text change } cloudConfigIds runtimeConfigIds }
}`;

const gw = fileGateway();

async function post(path: string, body: unknown, type = 'application/json'): Promise<unknown> {
  const response = await fetch(`${gw.sim.url}${path}`, {
    method: 'POST',
    headers: { authorization: gw.sim.basicAuth('admin'), 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return response.json();
}

describe('reading configs', () => {
  it('lists the current version of each config, or every version, as the Director does', async () => {
    const reply = await gw.graphql(`{
      latest: configs { id type name team current createdAt }
      history: configs(type: "cloud", latest: false) { id name current }
    }`);
    expect(reply.errors).toBeUndefined();
    const latest = (await directorGet(gw, '/configs?latest=true', 'admin')) as WireConfig[];
    expect(reply.data.latest.map((c: { id: string }) => c.id)).toEqual(latest.map((c) => c.id));
    expect(reply.data.latest.find((c: { id: string }) => c.id === '6')).toMatchObject({
      type: 'cloud',
      name: 'default',
      team: null,
      current: true,
    });
    for (const c of reply.data.latest) expect(c.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(reply.data.history.map((c: { id: string }) => c.id)).toEqual(['6', '1', '5']);
    expect(reply.data.history.map((c: { current: boolean }) => c.current)).toEqual([true, false, true]);
    expect(gw.calls().slice(0, 2)).toEqual([
      'GET /configs?latest=true',
      'GET /configs?type=cloud&latest=false',
    ]);
  });

  it("shows a team admin only its team's configs, as the Director filters them", async () => {
    const reply = await gw.graphql('{ configs { id team } }', undefined, 'alpha-admin');
    expect(reply.data.configs).toEqual([{ id: '5', team: 'alpha' }]);
  });

  it('reads one version by id; an unknown id is null, a non-numeric one refused unsent', async () => {
    const reply = await gw.graphql(
      '{ one: config(id: "1") { id content current } none: config(id: "999") { id } }',
    );
    expect(reply.errors).toBeUndefined();
    const wire = (await directorGet(gw, '/configs/1', 'admin')) as WireConfig;
    expect(reply.data.one).toEqual({ id: '1', content: wire.content, current: false });
    expect(reply.data.none).toBeNull();
    gw.resetCalls();
    expect(codes(await gw.graphql('{ config(id: "one") { id } }'))).toEqual(['BAD_USER_INPUT']);
    expect(gw.calls()).toEqual([]);
  });

  it('diffs two versions in one call, with typed changes', async () => {
    const reply = await gw.graphql(
      '{ configDiff(fromId: "1", toId: "6") { lines { text change } cloudConfigIds } }',
    );
    expect(reply.errors).toBeUndefined();
    const wire = (await post('/configs/diff', { from: { id: '1' }, to: { id: '6' } })) as {
      diff: [string, string | null][];
    };
    expect(reply.data.configDiff.lines).toEqual(
      wire.diff.map(([text, change]) => ({ text, change: change === null ? null : change.toUpperCase() })),
    );
    expect(reply.data.configDiff.lines.some((l: { change: string }) => l.change === 'ADDED')).toBe(true);
    expect(reply.data.configDiff.cloudConfigIds).toBeNull();
    expect(gw.calls()[0]).toBe('POST /configs/diff');
  });

  it('diffs content against the current config, and refuses content that is not a YAML mapping unsent', async () => {
    const content = 'azs: [{name: z9}]\n';
    const reply = await gw.graphql(
      'query($c: String!) { configDiffFor(type: "cloud", name: "console-new", content: $c) { lines { text change } } }',
      { c: content },
    );
    expect(reply.data.configDiffFor.lines).toEqual([
      { text: 'azs:', change: 'ADDED' },
      { text: '- name: z9', change: 'ADDED' },
    ]);
    gw.resetCalls();
    for (const bad of ['- a\n- b\n', 'a: [', '']) {
      const refused = await gw.graphql(
        'query($c: String!) { configDiffFor(type: "cloud", content: $c) { lines { text } } }',
        {
          c: bad,
        },
      );
      expect(codes(refused), bad).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });
});

describe('updateConfig and deleteConfig', () => {
  it('stores a new version, then says unchanged when the same content comes again', async () => {
    const content = 'vm_types: [{name: console}]\n';
    const first = await gw.graphql(UPDATE, { type: 'cloud', name: 'console', content });
    expect(first.errors).toBeUndefined();
    expect(first.data.updateConfig).toMatchObject({
      type: 'cloud',
      name: 'console',
      team: null,
      content,
      current: true,
      unchanged: false,
    });
    expect(gw.calls()).toEqual(['GET /configs?type=cloud&name=console&latest=true', 'POST /configs']);
    const stored = (await directorGet(gw, '/configs?type=cloud&name=console', 'admin')) as WireConfig[];
    expect(stored.map((c) => c.id)).toEqual([first.data.updateConfig.id]);

    const again = await gw.graphql(UPDATE, { type: 'cloud', name: 'console', content });
    expect(again.data.updateConfig).toMatchObject({ id: first.data.updateConfig.id, unchanged: true });
    const changed = await gw.graphql(UPDATE, { type: 'cloud', name: 'console', content: 'vm_types: []\n' });
    expect(changed.data.updateConfig.unchanged).toBe(false);
    expect(Number(changed.data.updateConfig.id)).toBeGreaterThan(Number(first.data.updateConfig.id));
    // The unchanged update wrote no audit event; the two real ones did.
    const creates = gw.sim.audit
      .list()
      .filter((e) => e.object_type === 'config/cloud' && e.object_name === 'console');
    expect(creates).toHaveLength(2);
  });

  it('takes config content of any size up to the manifest bound, not the 128 characters of names', async () => {
    const content = `vm_extensions:\n${Array.from({ length: 200 }, (_, i) => `- {name: ext-${i}}`).join('\n')}\n`;
    expect(content.length).toBeGreaterThan(3000);
    const reply = await gw.graphql(UPDATE, { type: 'cloud', name: 'large', content });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.updateConfig.content).toBe(content);
  });

  it('refuses content that is not a YAML mapping before any Director call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(UPDATE, { type: 'cloud', content: 'a: b: c\n' });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors![0]!.extensions).toMatchObject({ field: 'content', line: 1 });
    expect(gw.calls()).toEqual([]);
  });

  it('deletes every version of a config, and answers false when there is none', async () => {
    await gw.graphql(UPDATE, { type: 'runtime', name: 'doomed', content: 'addons: []\n' });
    gw.resetCalls();
    const reply = await gw.graphql(DELETE, { type: 'runtime', name: 'doomed' });
    expect(reply.data.deleteConfig).toBe(true);
    expect(gw.calls()).toEqual(['DELETE /configs?type=runtime&name=doomed']);
    expect(await directorGet(gw, '/configs?type=runtime&name=doomed', 'admin')).toEqual([]);
    expect((await gw.graphql(DELETE, { type: 'runtime', name: 'doomed' })).data.deleteConfig).toBe(false);
  });

  it('lets a team admin change only its own configs, and a reader none', async () => {
    const before = await directorGet(gw, '/configs?latest=false', 'admin');
    const content = 'azs: [{name: z1}]\n';
    for (const [user, type, name] of [
      ['reader', 'cloud', 'default'],
      ['reader', 'cloud', 'brand-new'],
      ['alpha-admin', 'cloud', 'default'],
      ['beta-admin', 'cloud', 'alpha'],
    ] as const) {
      gw.resetCalls();
      const update = await gw.graphql(UPDATE, { type, name, content }, user);
      expect(codes(update), `${user} ${name}`).toEqual(['FORBIDDEN']);
      expect(writes(gw), `${user} ${name}`).toEqual(['POST /configs 401']);
      gw.resetCalls();
      const remove = await gw.graphql(DELETE, { type, name }, user);
      expect(codes(remove), `${user} delete ${name}`).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual([`DELETE /configs 401`]);
    }
    expect(await directorGet(gw, '/configs?latest=false', 'admin')).toEqual(before);

    const own = await gw.graphql(UPDATE, { type: 'cloud', name: 'alpha', content }, 'alpha-admin');
    expect(own.data.updateConfig).toMatchObject({ team: 'alpha', current: true, unchanged: false });
  });
});

describe('deploymentDiff and deploy from it', () => {
  it('shows what a deploy would change, with the configs it would use, and starts nothing', async () => {
    const manifest = gw.sim.deployments.manifest('redis')!.replace(/instances: 2/, 'instances: 3');
    expect(manifest).toContain('instances: 3');
    const tasks = gw.sim.tasks.list().length;
    const reply = await gw.graphql(DIFF, { manifest });
    expect(reply.errors).toBeUndefined();
    const wire = (await post('/deployments/redis/diff?redact=true', manifest, 'text/yaml')) as {
      context: { cloud_config_ids: number[]; runtime_config_ids: number[] };
      diff: [string, string | null][];
    };
    expect(reply.data.deploymentDiff).toEqual({
      lines: wire.diff.map(([text, change]) => ({
        text,
        change: change === null ? null : change.toUpperCase(),
      })),
      cloudConfigIds: wire.context.cloud_config_ids.map(String),
      runtimeConfigIds: wire.context.runtime_config_ids.map(String),
    });
    expect(reply.data.deploymentDiff.lines).toContainEqual({ text: '  instances: 3', change: 'ADDED' });
    expect(gw.calls()[0]).toBe('POST /deployments/redis/diff?redact=true');
    expect(gw.sim.tasks.list().length).toBe(tasks);
  });

  it('checks the manifest as deploy does, and makes a diff the Director cannot compute DIFF_FAILED', async () => {
    const bad = await gw.graphql(DIFF, { manifest: 'releases: []\n' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(gw.calls()).toEqual([]);
    const unknown = 'name: redis\nreleases: [{name: no-such-release, version: latest}]\n';
    const failed = await gw.graphql(DIFF, { manifest: unknown });
    expect(codes(failed)).toEqual(['DIFF_FAILED']);
    expect(failed.errors![0]!.message).toContain("Release 'no-such-release' doesn't exist");
    expect(failed.errors![0]!.message).not.toContain('/var/vcap');
  });

  it('refuses the diff to a reader and to another team, as the Director does', async () => {
    const manifest = gw.sim.deployments.manifest('redis')!;
    expect(codes(await gw.graphql(DIFF, { manifest }, 'reader'))).toEqual(['FORBIDDEN']);
    expect(codes(await gw.graphql(DIFF, { manifest }, 'alpha-admin'))).toEqual(['FORBIDDEN']);
    expect((await gw.graphql(DIFF, { manifest }, 'beta-admin')).errors).toBeUndefined();
  });

  it("deploys with the diff's configs, and refuses ids the Director does not know", async () => {
    const manifest = gw.sim.deployments.manifest('redis')!;
    const diff = (await gw.graphql(DIFF, { manifest })).data.deploymentDiff;
    gw.resetCalls();
    const deploy = await gw.graphql(
      'mutation($m: String!, $o: DeployOptions) { deploy(manifest: $m, options: $o) { id } }',
      {
        m: manifest,
        o: { fromDiff: { cloudConfigIds: diff.cloudConfigIds, runtimeConfigIds: diff.runtimeConfigIds } },
      },
    );
    expect(deploy.errors).toBeUndefined();
    const [request] = gw.sim.requests.list({ method: 'POST', path: '/deployments' });
    expect(JSON.parse(new URLSearchParams(request!.query).get('context')!)).toEqual({
      cloud_config_ids: diff.cloudConfigIds.map(Number),
      runtime_config_ids: diff.runtimeConfigIds.map(Number),
    });
    expect((await gw.sim.tasks.wait(Number(deploy.data.deploy.id))).state).toBe('done');

    const tasks = gw.sim.tasks.list().length;
    const unknown = await gw.graphql(
      'mutation($m: String!, $o: DeployOptions) { deploy(manifest: $m, options: $o) { id } }',
      { m: manifest, o: { fromDiff: { cloudConfigIds: ['424242'], runtimeConfigIds: [] } } },
    );
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.extensions?.directorCode).toBe(190025);
    expect(gw.sim.tasks.list().length).toBe(tasks);
  });
});
