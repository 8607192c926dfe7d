import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const TASK_KEYS = [
  'id',
  'state',
  'description',
  'timestamp',
  'started_at',
  'result',
  'user',
  'deployment',
  'context_id',
];

describe('GET /tasks', () => {
  it('returns every matching task when no limit is given', async () => {
    const all = t.sim.tasks.list();
    const r = await t.get('/tasks?verbose=2');
    expect(r.json()).toHaveLength(all.length);
    expect(all.length).toBeGreaterThan(30);
  });

  it('hides internal task types such as vms at the default verbose=1 and shows them for any other value', async () => {
    const vmsTask = t.sim.tasks.list().find((x) => x.description === 'retrieve vm-stats');
    expect(vmsTask).toBeDefined();
    const ids = (r: { json(): { id: number }[] }) => r.json().map((x) => x.id);
    expect(ids(await t.get('/tasks'))).not.toContain(vmsTask!.id);
    expect(ids(await t.get('/tasks?verbose=1'))).not.toContain(vmsTask!.id);
    expect(ids(await t.get('/tasks?verbose=2'))).toContain(vmsTask!.id);
    expect(ids(await t.get('/tasks?verbose=0'))).toContain(vmsTask!.id);
  });

  it('sends tasks with exactly the Director keys', async () => {
    for (const task of (await t.get('/tasks?limit=5')).json()) expect(Object.keys(task)).toEqual(TASK_KEYS);
  });

  it('converts limit like Ruby to_i, with anything below 1 meaning 1', async () => {
    expect((await t.get('/tasks?limit=3')).json()).toHaveLength(3);
    expect((await t.get('/tasks?limit=3abc')).json()).toHaveLength(3);
    expect((await t.get('/tasks?limit=0')).json()).toHaveLength(1);
    expect((await t.get('/tasks?limit=-4')).json()).toHaveLength(1);
    expect((await t.get('/tasks?limit=abc')).json()).toHaveLength(1);
  });

  it('filters by a comma-separated state list, deployment and context id', async () => {
    const failed = (await t.get('/tasks?state=error,cancelled')).json();
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(new Set(failed.map((x: { state: string }) => x.state))).toEqual(new Set(['error', 'cancelled']));
    expect((await t.get('/tasks?state=bogus')).json()).toEqual([]);
    // An empty value lists no states, so it filters nothing.
    expect((await t.get('/tasks?state=')).json()).toEqual((await t.get('/tasks')).json());
    const redis = (await t.get('/tasks?deployment=redis')).json();
    expect(redis.length).toBeGreaterThan(0);
    expect(redis.every((x: { deployment: string }) => x.deployment === 'redis')).toBe(true);
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST, 'admin', { contextId: 'abc' });
    expect((await t.get('/tasks?context_id=abc')).json().map((x: { id: number }) => x.id)).toEqual([id]);
  });

  it('orders by the timestamp column, newest first, so a long task can sort below a newer finished one', async () => {
    const seeded = (await t.get('/tasks?verbose=2')).json();
    const stamps = seeded.map((x: { timestamp: number }) => x.timestamp);
    expect(stamps).toEqual([...stamps].sort((a, b) => b - a));

    const deploy = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    await t.clock.advance(3_000);
    const vms = taskIdFrom(await t.get('/deployments/cf/vms?format=full'));
    await t.finish(vms);
    const list = (await t.get('/tasks?verbose=2&limit=2')).json();
    // The deploy (lower id) is still processing, keyed by its start time: the later vms task comes first.
    expect(list.map((x: { id: number }) => x.id)).toEqual([vms, deploy]);
    expect(list[1].timestamp).toBeNull();
    await t.finish(deploy);
    expect((await t.get('/tasks?verbose=2&limit=2')).json().map((x: { id: number }) => x.id)).toEqual([
      deploy,
      vms,
    ]);
  });
});

describe('GET /tasks/{id}', () => {
  it('answers 404 with code 10000 for an unknown id', async () => {
    const r = await t.get('/tasks/424242');
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ code: 10000, description: 'Task 424242 not found' });
  });

  it('shows null timestamp and started_at while queued, a start time while processing, and the finish time when done', async () => {
    const enqueuedAt = t.clock.now();
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const queued = (await t.get(`/tasks/${id}`)).json();
    expect(queued).toMatchObject({ state: 'queued', timestamp: null, started_at: null, result: null });
    expect(queued.description).toBe('create deployment');
    expect(queued.deployment).toBe('demo');
    await t.clock.advance(1_000);
    const running = (await t.get(`/tasks/${id}`)).json();
    expect(running.state).toBe('processing');
    expect(running.timestamp).toBeNull();
    // A worker picks the task up one tick (500 ms by default) after it was queued.
    expect(running.started_at).toBe(Math.floor((enqueuedAt + 500) / 1000));
    await t.finish(id);
    const done = (await t.get(`/tasks/${id}`)).json();
    expect(done.state).toBe('done');
    expect(done.result).toBe('/deployments/demo');
    expect(done.timestamp).toBeGreaterThan(done.started_at);
  });
});

describe('cancelling', () => {
  it('answers 204, shows cancelling, then cancelled at the next checkpoint with error 10001', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    await t.clock.advance(2_000);
    const r = await t.call('DELETE', `/task/${id}`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect((await t.get(`/tasks/${id}`)).json().state).toBe('cancelling');
    const end = await t.finish(id);
    expect(end.state).toBe('cancelled');
    expect(end.result).toBe('task cancelled');
    const last = events(t.sim, id).at(-1);
    expect(last.error).toEqual({ code: 10001, message: `Task ${id} cancelled` });
    expect(t.sim.deployments.manifest('demo')).toBeNull();
  });

  it('ends a task cancelled while queued without running it', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    expect((await t.call('DELETE', `/task/${id}`)).status).toBe(204);
    const end = await t.finish(id);
    expect(end.state).toBe('cancelled');
    expect(end.started_at).toBeNull();
    expect(t.sim.tasks.eventOutput(id)).toBe('');
  });

  it('refuses a finished task with a plain-text 400 naming its state', async () => {
    const r = await t.call('DELETE', '/task/1');
    expect(r.status).toBe(400);
    expect(r.text).toBe('Cannot cancel task 1: invalid state (done)');
  });

  it('answers 404 for an unknown task and 401 600000 for a non-admin', async () => {
    expect((await t.call('DELETE', '/task/99999')).json().code).toBe(10000);
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const r = await t.call('DELETE', `/task/${id}`, 'reader');
    expect(r.status).toBe(401);
    expect(r.json().code).toBe(600000);
    expect(t.sim.tasks.get(id)?.state).toBe('queued');
  });

  it('cancels queued tasks in bulk with POST /tasks/cancel, and refuses states that cannot be cancelled', async () => {
    const a = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const b = t.sim.tasks.startDelete('redis');
    const json = { 'content-type': 'application/json' };
    const bad = await t.call('POST', '/tasks/cancel', 'admin', {
      headers: json,
      body: '{"states":["done"]}',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toBe('done is not one of the cancellable states: queued, processing');
    const r = await t.call('POST', '/tasks/cancel', 'admin', {
      headers: json,
      body: '{"types":["delete_deployment"]}',
    });
    expect(r.status).toBe(204);
    expect(t.sim.tasks.get(a)?.state).toBe('queued');
    expect(t.sim.tasks.get(b)?.state).toBe('cancelling');
    const wrongType = await t.call('POST', '/tasks/cancel', 'admin', {
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(wrongType.status).toBe(404);
  });

  it('treats an empty states list as queued, and an empty types list as every type', async () => {
    const a = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const b = t.sim.tasks.startDelete('redis');
    const r = await t.call('POST', '/tasks/cancel', 'admin', {
      headers: { 'content-type': 'application/json' },
      body: '{"states":[],"types":[]}',
    });
    expect(r.status).toBe(204);
    expect(t.sim.tasks.get(a)?.state).toBe('cancelling');
    expect(t.sim.tasks.get(b)?.state).toBe('cancelling');
  });

  it('answers 500 for a body that is not JSON, and 204 even when nothing matched', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await t.call('POST', '/tasks/cancel', 'admin', { headers: json, body: '' })).status).toBe(500);
    const none = await t.call('POST', '/tasks/cancel', 'admin', {
      headers: json,
      body: '{"deployment":"nope"}',
    });
    expect(none.status).toBe(204);
  });
});
