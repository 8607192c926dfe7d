/**
 * Task queries: lookups, filters, timestamps and typed event logs, compared with what the
 * simulated Director holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, type SimTask } from '../../src/simulator/index.js';
import { decodeCursor } from '../../src/stream/cursor.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { codes, manifest } from './support.js';

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const iso = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000).toISOString());

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

/** Seeded tasks as the Director shows them at verbose=1 (no internal `vms` tasks). */
function visibleSeededTasks(): SimTask[] {
  return gw.sim.tasks.list().filter((t) => t.description !== 'retrieve vm-stats');
}

describe('task(id)', () => {
  it('answers a task with its fields as the Director has them', async () => {
    const wire = gw.sim.tasks.list().find((t) => t.state === 'error' && t.deployment === 'redis')!;
    const reply = await gw.graphql(
      `query($id: ID!) { task(id: $id) {
        id state description user startedAt finishedAt result deploymentName contextId finished
      } }`,
      { id: String(wire.id) },
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data.task).toEqual({
      id: String(wire.id),
      state: 'ERROR',
      description: wire.description,
      user: wire.user,
      startedAt: iso(wire.started_at),
      finishedAt: iso(wire.timestamp),
      result: wire.result,
      deploymentName: 'redis',
      contextId: null,
      finished: true,
    });
    expect(reply.data.task.startedAt).toMatch(ISO_UTC);
    expect(reply.data.task.finishedAt).toMatch(ISO_UTC);
  });

  it('answers null, without an error, for an id the Director does not know', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ task(id: "987654") { id } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({ task: null });
    expect(gw.calls()).toEqual(['GET /tasks/987654']);
  });

  it('refuses a non-numeric id as BAD_USER_INPUT before any Director call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ task(id: "12; DROP") { id } }');
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors?.[0]?.path).toEqual(['task']);
    expect(gw.sim.requests.list()).toEqual([]);
  });

  it('names the deployment of a task, or null once that deployment is deleted', async () => {
    const reply = await gw.graphql('{ tasks(limit: 100) { id deploymentName deployment { name } } }');
    expect(reply.errors).toBeUndefined();
    const live = new Set(gw.sim.deployments.names());
    for (const task of reply.data.tasks) {
      if (task.deploymentName && live.has(task.deploymentName)) {
        expect(task.deployment).toEqual({ name: task.deploymentName });
      } else {
        expect(task.deployment).toBeNull();
      }
    }
    // nginx-test was deployed, then deleted, in the seeded history.
    expect(reply.data.tasks.some((t: { deploymentName: string }) => t.deploymentName === 'nginx-test')).toBe(
      true,
    );
  });
});

describe('tasks(...)', () => {
  it('lists the newest tasks as the Director orders them, with a limit', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ tasks(limit: 7) { id } }');
    const direct = await fetch(`${gw.sim.url}/tasks?limit=7&verbose=1`, {
      headers: { authorization: gw.sim.basicAuth('admin') },
    });
    const wire = (await direct.json()) as { id: number }[];
    expect(reply.data.tasks.map((t: { id: string }) => t.id)).toEqual(wire.map((t) => String(t.id)));
  });

  it('sends the default limit of 30 when none is given', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ tasks { id } }');
    expect(reply.data.tasks).toHaveLength(Math.min(30, visibleSeededTasks().length));
    expect(gw.calls()).toEqual(['GET /tasks?limit=30&verbose=1']);
  });

  it('filters by states', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ tasks(states: [ERROR, CANCELLED], limit: 100) { id state } }');
    expect(gw.calls()).toEqual(['GET /tasks?state=error,cancelled&limit=100&verbose=1']);
    const expected = visibleSeededTasks().filter((t) => t.state === 'error' || t.state === 'cancelled');
    expect(expected.length).toBeGreaterThan(1);
    expect(reply.data.tasks.map((t: { id: string }) => Number(t.id)).sort()).toEqual(
      expected.map((t) => t.id).sort(),
    );
    for (const t of reply.data.tasks) expect(['ERROR', 'CANCELLED']).toContain(t.state);
  });

  it('filters by deployment', async () => {
    const reply = await gw.graphql('{ tasks(deployment: "zookeeper", limit: 100) { deploymentName } }');
    const expected = visibleSeededTasks().filter((t) => t.deployment === 'zookeeper');
    expect(reply.data.tasks).toEqual(expected.map(() => ({ deploymentName: 'zookeeper' })));
  });

  it('hides the internal retrieve vm-stats tasks unless includeInternal is set', async () => {
    gw.resetCalls();
    const hidden = await gw.graphql('{ tasks(limit: 200) { description } }');
    const shown = await gw.graphql('{ tasks(limit: 200, includeInternal: true) { id description } }');
    expect(gw.calls()).toEqual(['GET /tasks?limit=200&verbose=1', 'GET /tasks?limit=200&verbose=2']);
    const descriptions = (reply: typeof hidden) =>
      reply.data.tasks.map((t: { description: string }) => t.description);
    expect(descriptions(hidden)).not.toContain('retrieve vm-stats');
    const internal = gw.sim.tasks.list().filter((t) => t.description === 'retrieve vm-stats');
    expect(internal.length).toBeGreaterThan(0);
    const shownIds = shown.data.tasks.map((t: { id: string }) => Number(t.id));
    for (const task of internal) expect(shownIds).toContain(task.id);
  });

  it('refuses a limit outside 1..1000 before any Director call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ tasks(limit: 0) { id } }');
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(gw.calls()).toEqual([]);
  });

  it('lists the tasks of a deployment from the deployment itself', async () => {
    const reply = await gw.graphql('{ deployment(name: "redis") { tasks(limit: 10) { deploymentName } } }');
    const expected = visibleSeededTasks().filter((t) => t.deployment === 'redis');
    expect(reply.data.deployment.tasks).toHaveLength(expected.length);
  });
});

describe('task events', () => {
  const EVENTS = `query($id: ID!) { task(id: $id) { events {
    __typename time cursor
    ... on TaskStageEvent { stage tags total task index state progress status error }
    ... on TaskErrorEvent { code message }
    ... on TaskWarningEvent { message }
    ... on TaskDeprecationEvent { message }
  } } }`;

  /** The first seeded task whose event log has a record of this kind. */
  function taskWith(kind: 'stage-failed' | 'error' | 'warning' | 'deprecation'): number {
    const found = gw.sim.tasks.list().find((t) =>
      gw.sim.tasks.events(t.id).some((e) => {
        if (kind === 'error') return 'error' in e;
        if (kind === 'stage-failed') return e.state === 'failed';
        return e.type === kind;
      }),
    );
    if (!found) throw new Error(`no seeded task has a ${kind} record`);
    return found.id;
  }

  const typename = (e: Record<string, unknown>) =>
    'error' in e
      ? 'TaskErrorEvent'
      : e.type === 'warning'
        ? 'TaskWarningEvent'
        : e.type === 'deprecation'
          ? 'TaskDeprecationEvent'
          : 'TaskStageEvent';

  async function events(id: number) {
    const reply = await gw.graphql(EVENTS, { id: String(id) });
    expect(reply.errors).toBeUndefined();
    return reply.data.task.events as Record<string, unknown>[];
  }

  it('types every record of the event log by __typename, in order', async () => {
    for (const kind of ['stage-failed', 'warning', 'deprecation'] as const) {
      const id = taskWith(kind);
      const records = gw.sim.tasks.events(id);
      expect((await events(id)).map((e) => e.__typename)).toEqual(records.map(typename));
    }
  });

  it('gives stage, error, warning and deprecation records their own fields', async () => {
    const failed = taskWith('stage-failed');
    const records = gw.sim.tasks.events(failed);
    const got = await events(failed);
    const failedStage = records.findIndex((r) => r.state === 'failed');
    expect(got[failedStage]).toMatchObject({
      __typename: 'TaskStageEvent',
      stage: records[failedStage]!.stage,
      tags: records[failedStage]!.tags,
      task: records[failedStage]!.task,
      state: 'FAILED',
      progress: 100,
      error: (records[failedStage]!.data as { error: string }).error,
    });
    const errorAt = records.findIndex((r) => 'error' in r);
    const error = records[errorAt]!.error as { code: number; message: string };
    expect(got[errorAt]).toMatchObject({
      __typename: 'TaskErrorEvent',
      code: error.code,
      message: error.message,
    });

    for (const kind of ['warning', 'deprecation'] as const) {
      const id = taskWith(kind);
      const all = gw.sim.tasks.events(id);
      const at = all.findIndex((r) => r.type === kind);
      expect((await events(id))[at]).toMatchObject({ message: all[at]!.message });
    }
  });

  it('gives record times as ISO-8601 UTC from the epoch seconds the Director wrote', async () => {
    const id = taskWith('warning');
    const records = gw.sim.tasks.events(id);
    const got = await events(id);
    got.forEach((e, i) => {
      expect(e.time).toMatch(ISO_UTC);
      expect(e.time).toBe(iso(records[i]!.time as number));
    });
  });

  it('gives each record a cursor just past its line, the last one at the end of the log', async () => {
    const id = taskWith('error');
    const got = await events(id);
    const offsets = got.map((e) => decodeCursor(e.cursor as string, id, 'event').offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(offsets.at(-1)).toBe(Buffer.byteLength(gw.sim.tasks.eventOutput(id)));
  });
});

describe('timestamps of running tasks', () => {
  let manual: TestGateway;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock();
    manual = await startTestGateway({ simulator: { clock } });
  });
  afterAll(() => manual.close());

  const TASK = 'query($id: ID!) { task(id: $id) { state startedAt finishedAt finished } }';

  it('are null while queued, startedAt only while processing, both once finished', async () => {
    const id = manual.sim.tasks.startDeploy(manifest('timestamps'));
    const queued = await manual.graphql(TASK, { id: String(id) });
    expect(queued.data.task).toEqual({ state: 'QUEUED', startedAt: null, finishedAt: null, finished: false });

    await clock.advance(20);
    const processing = await manual.graphql(TASK, { id: String(id) });
    expect(processing.data.task).toEqual({
      state: 'PROCESSING',
      startedAt: iso(manual.sim.tasks.get(id)!.started_at),
      finishedAt: null,
      finished: false,
    });
    expect(processing.data.task.startedAt).toMatch(ISO_UTC);

    while (manual.sim.tasks.get(id)!.state === 'processing') await clock.advance(1_000);
    const done = await manual.graphql(TASK, { id: String(id) });
    const wire = manual.sim.tasks.get(id)!;
    expect(done.data.task).toEqual({
      state: 'DONE',
      startedAt: iso(wire.started_at),
      finishedAt: iso(wire.timestamp),
      finished: true,
    });
  });
});
