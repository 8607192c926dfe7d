/**
 * Configs through the gateway: the Director's lists and versions, and diffs of versions as typed
 * lines. Permissions are the Director's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { codes, directorGet } from './support.js';

interface WireConfig {
  id: string;
  type: string;
  name: string;
  team: string | null;
  content: string;
  current: boolean;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(async () => {
  await gw.graphql('{ director { name } }');
  gw.resetCalls();
});

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
    const reply = await gw.graphql('{ configDiff(fromId: "1", toId: "6") { lines { text change } } }');
    expect(reply.errors).toBeUndefined();
    const wire = (await post('/configs/diff', { from: { id: '1' }, to: { id: '6' } })) as {
      diff: [string, string | null][];
    };
    expect(reply.data.configDiff.lines).toEqual(
      wire.diff.map(([text, change]) => ({ text, change: change === null ? null : change.toUpperCase() })),
    );
    expect(reply.data.configDiff.lines.some((l: { change: string }) => l.change === 'ADDED')).toBe(true);
    expect(gw.calls()[0]).toBe('POST /configs/diff');
  });
});
