/**
 * Audit events (`GET /events`) as Relay connections: newest first, paged with the Director's
 * `before_id` in pages of at most 200, each filter sent as the Director's parameter, and the
 * fewest calls: the deployments list once for any number of events, parents from the page.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';
import { checkOperation } from '../../src/server/operation-guards.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { codes } from './support.js';

interface Wire {
  id: string;
  parent_id?: string;
  timestamp: number;
  user?: string;
  action?: string;
  object_type?: string;
  object_name?: string;
  task?: string;
  deployment?: string;
  instance?: string;
  context: Record<string, unknown>;
}

const PAGE = `query($first: Int, $after: String) {
  events(first: $first, after: $after) {
    nodes { id }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

let gw: TestGateway;
/** Every audit event, newest first, as the Director shows them. */
const all = () => gw.sim.audit.list() as unknown as Wire[];
const eventCalls = () => gw.sim.requests.list({ method: 'GET', path: '/events' }).map((r) => r.query);

beforeAll(async () => {
  gw = await startTestGateway();
  // Well over one Director page (200): the seeded history plus notes.
  for (let i = 0; i < 300; i++) {
    await fetch(`${gw.sim.url}/events`, {
      method: 'POST',
      headers: { authorization: gw.sim.basicAuth('admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'note', object_type: 'console', object_name: `note-${i}` }),
    });
  }
  await gw.graphql('{ director { name } }');
});
afterAll(() => gw.close());

describe('Query.events', () => {
  it('answers the newest events first, with every field the Director sent', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(`{ events(first: 500, objectType: "deployment") {
      nodes { id time user action objectType objectName taskId deploymentName instance parentId error context }
    } }`);
    expect(reply.errors).toBeUndefined();
    const wire = all().filter((e) => e.object_type === 'deployment');
    expect(reply.data.events.nodes).toEqual(
      wire.map((e) => ({
        id: e.id,
        time: new Date(e.timestamp * 1000).toISOString(),
        user: e.user,
        action: e.action,
        objectType: e.object_type,
        objectName: e.object_name ?? null,
        taskId: e.task ?? null,
        deploymentName: e.deployment ?? null,
        instance: e.instance ?? null,
        parentId: e.parent_id ?? null,
        error: (e as { error?: string }).error ?? null,
        context: e.context,
      })),
    );
    // A deploy's end event says what changed, and points at its start event.
    expect(reply.data.events.nodes.some((n: { context: object }) => 'after' in n.context)).toBe(true);
    expect(eventCalls()).toEqual(['object_type=deployment']);
  });

  it('pages with the endCursor: each page starts right below the last, no gap, no repeat', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    gw.resetCalls();
    for (let pages = 0; pages < 3; pages++) {
      const reply = await gw.graphql(PAGE, { first: 40, after });
      const { nodes, edges, pageInfo } = reply.data.events;
      expect(edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
        nodes.map((n: { id: string }) => n.id),
      );
      expect(pageInfo.endCursor).toBe(edges.at(-1).cursor);
      expect(pageInfo.startCursor).toBe(edges[0].cursor);
      expect(pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: after !== null });
      seen.push(...nodes.map((n: { id: string }) => n.id));
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(
      all()
        .slice(0, 120)
        .map((e) => e.id),
    );
    // One Director page each: the first without before_id, the next two from the ids before them.
    expect(eventCalls()).toEqual(['', `before_id=${seen[39]}`, `before_id=${seen[79]}`]);
  });

  it('reads as many Director pages of 200 as first needs, and knows whether more exist', async () => {
    const total = all().length;
    gw.resetCalls();
    const r450 = await gw.graphql(PAGE, { first: 450 });
    expect(r450.data.events.nodes.map((n: { id: string }) => n.id)).toEqual(
      all()
        .slice(0, Math.min(450, total))
        .map((e) => e.id),
    );
    expect(eventCalls()).toHaveLength(Math.floor(450 / 200) + 1);
    expect(r450.data.events.pageInfo.hasNextPage).toBe(total > 450);

    // Exactly 200: a full page cannot tell whether more exist, so one more call says it.
    gw.resetCalls();
    const r200 = await gw.graphql(PAGE, { first: 200 });
    expect(r200.data.events.nodes).toHaveLength(200);
    expect(r200.data.events.pageInfo.hasNextPage).toBe(true);
    expect(eventCalls()).toEqual(['', `before_id=${all()[199]!.id}`]);

    // The last page: a short Director page ends it, whatever first asked.
    gw.resetCalls();
    const last = await gw.graphql(PAGE, { first: 1000 });
    expect(last.data.events.nodes).toHaveLength(total);
    expect(last.data.events.pageInfo.hasNextPage).toBe(false);
    expect(eventCalls()).toHaveLength(Math.ceil((total + 1) / 200));
  });

  it('sends each filter as the Director parameter; since is inclusive and until exclusive', async () => {
    const lock = all().find((e) => e.object_type === 'lock' && e.task)!;
    const at = new Date(lock.timestamp * 1000).toISOString();
    gw.resetCalls();
    const reply = await gw.graphql(
      `query($task: ID, $at: DateTime) {
        exact: events(task: $task, deployment: "${lock.deployment}", user: "${lock.user}", action: "${lock.action}",
          objectType: "lock", objectName: "${lock.object_name}") { nodes { id } }
        from: events(since: $at, first: 1000) { nodes { time } }
        before: events(until: $at, first: 5) { nodes { time } }
      }`,
      { task: lock.task, at },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data.exact.nodes.map((n: { id: string }) => n.id)).toContain(lock.id);
    const queries = eventCalls().map((q) => Object.fromEntries(new URLSearchParams(q)));
    expect(queries).toContainEqual({
      task: lock.task,
      deployment: lock.deployment,
      user: lock.user,
      action: lock.action,
      object_type: 'lock',
      object_name: lock.object_name,
    });
    const times = (field: string) => reply.data[field].nodes.map((n: { time: string }) => n.time);
    expect(times('from')).toContain(at);
    expect(Math.min(...times('from').map(Date.parse))).toBe(Date.parse(at));
    expect(times('before').length).toBeGreaterThan(0);
    for (const time of times('before')) expect(Date.parse(time)).toBeLessThan(Date.parse(at));
  });

  it('refuses a first out of 1..1000, a foreign cursor and a non-numeric task before any call', async () => {
    gw.resetCalls();
    for (const [query, variables] of [
      [PAGE, { first: 0 }],
      [PAGE, { first: 1001 }],
      [PAGE, { first: 5, after: 'not-a-cursor' }],
      ['{ events(task: "latest") { nodes { id } } }', {}],
    ] as const) {
      const reply = await gw.graphql(query, variables);
      expect(codes(reply), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });

  it('costs one deployments list for the deployments of any number of events', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(
      '{ events(first: 150, objectType: "lock") { nodes { deploymentName deployment { name } } } }',
    );
    expect(reply.errors).toBeUndefined();
    const nodes = reply.data.events.nodes as {
      deploymentName: string | null;
      deployment: { name: string };
    }[];
    expect(nodes.length).toBeGreaterThan(20);
    // nginx-test was deleted since: its events stay, its deployment is null.
    for (const n of nodes) {
      expect(n.deployment).toEqual(n.deploymentName === 'nginx-test' ? null : { name: n.deploymentName });
    }
    expect(gw.calls()).toEqual(['GET /events?object_type=lock', 'GET /deployments']);
  });

  it('finds parents among the events already read, and reads an older one once', async () => {
    // The newest deploy's end event: its start event comes a few events before it.
    const end = all().find((e) => e.object_type === 'deployment' && e.parent_id)!;
    const since = new Date((end.timestamp - 3600) * 1000).toISOString();
    gw.resetCalls();
    const reply = await gw.graphql(
      `{ events(objectType: "deployment", since: "${since}") { nodes { id parentId parent { id action } } } }`,
    );
    const node = reply.data.events.nodes.find((n: { id: string }) => n.id === end.id);
    const parent = all().find((e) => e.id === end.parent_id)!;
    expect(node.parent).toEqual({ id: parent.id, action: parent.action });
    const queries = eventCalls();
    // The parent of an event in the page is in the page; the others cost one before_id read each.
    const outside = reply.data.events.nodes.filter(
      (n: { parentId: string | null }) =>
        n.parentId !== null && !reply.data.events.nodes.some((m: { id: string }) => m.id === n.parentId),
    );
    expect(queries.length).toBe(1 + new Set(outside.map((n: { parentId: string }) => n.parentId)).size);
    for (const n of outside) expect(queries).toContain(`before_id=${Number(n.parentId) + 1}`);
  });

  it('may be read by a team reader, who sees every event as on the Director', async () => {
    const reply = await gw.graphql('{ events(first: 3) { nodes { id } } }', undefined, 'alpha-reader');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.events.nodes.map((n: { id: string }) => n.id)).toEqual(
      all()
        .slice(0, 3)
        .map((e) => e.id),
    );
  });
});

describe('events of a deployment, an instance and a task', () => {
  it('filters by deployment, by <group>/<id> for an instance, and by task', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(`{
      deployment(name: "zookeeper") {
        events(first: 5) { nodes { deploymentName } }
        instances { job id events(first: 3) { nodes { instance } } }
      }
      task(id: "34") { directorEvents { taskId objectType } }
    }`);
    expect(reply.errors).toBeUndefined();
    const { deployment, task } = reply.data;
    for (const n of deployment.events.nodes) expect(n.deploymentName).toBe('zookeeper');
    const node = deployment.instances.find((i: { job: string }) => i.job === 'zookeeper');
    expect(node.events.nodes.length).toBeGreaterThan(0);
    for (const n of node.events.nodes) expect(n.instance).toBe(`zookeeper/${node.id}`);
    const wanted = all().filter((e) => e.task === '34');
    expect(task.directorEvents).toEqual(wanted.map((e) => ({ taskId: '34', objectType: e.object_type })));
    const queries = eventCalls();
    expect(queries).toContain('deployment=zookeeper');
    expect(queries).toContain(`deployment=zookeeper&instance=zookeeper%2F${node.id}`);
    expect(queries).toContain('task=34');
  });
});

describe('the cost of audit events', () => {
  const schema = createSchema();
  const estimate = (query: string) =>
    (
      checkOperation({ schema, document: parse(query) }, { maxDirectorCalls: 0, maxManifestBytes: 1024 })
        ?.errors?.[0]?.extensions?.directorCalls as { estimate: number } | undefined
    )?.estimate ?? 0;

  it('counts floor(first / 200) + 1 pages, and what each event selects first times', () => {
    expect(estimate('{ events { nodes { id } } }')).toBe(1);
    expect(estimate('{ events(first: 200) { nodes { id } } }')).toBe(2);
    expect(estimate('{ events(first: 1000) { edges { node { id } } } }')).toBe(6);
    expect(estimate('{ events(first: 30) { nodes { deployment { name } } } }')).toBe(2);
    expect(estimate('{ events(first: 30) { edges { node { task { id } } } } }')).toBe(31);
    expect(estimate('{ deployments { events(first: 10) { nodes { parent { id } } } } }')).toBe(1 + 10 + 100);
  });

  it('refuses a page whose events would each read their task past the limit, before any call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ events(first: 500) { nodes { task { state } } } }');
    expect(reply.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      directorCalls: { estimate: 503, limit: 100 },
    });
    expect(gw.calls()).toEqual([]);
  });
});
