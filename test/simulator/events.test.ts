import { describe, expect, it } from 'vitest';
import { parseEventTime } from '../../src/simulator/routes/events.js';
import { DEMO_MANIFEST, eachManualSim } from './helpers.js';

const t = eachManualSim();

const json = { 'content-type': 'application/json' };

async function postEvents(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const body = JSON.stringify({ action: 'note', object_type: 'console', object_name: `n${i}` });
    await t.call('POST', '/events', 'admin', { headers: json, body });
  }
}

describe('GET /events', () => {
  it('lists at most 200 events, newest id first, with the Director keys and nil keys dropped', async () => {
    await postEvents(100);
    const r = await t.get('/events');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    const events = r.json();
    expect(events).toHaveLength(200);
    const ids = events.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    for (const e of events) {
      expect(typeof e.id).toBe('string');
      expect(e.context).toBeDefined();
      for (const v of Object.values(e)) expect(v === null || v === '').toBe(false);
    }
    const lock = (await t.get('/events?object_type=lock')).json()[0];
    expect(Object.keys(lock)).toEqual([
      'id',
      'timestamp',
      'user',
      'action',
      'object_type',
      'object_name',
      'task',
      'deployment',
      'context',
    ]);
    expect(lock.context).toEqual({});
  });

  it('pages with before_id; a non-numeric before_id gives an empty page', async () => {
    await postEvents(100);
    const first = (await t.get('/events')).json();
    const last = first.at(-1).id;
    const next = (await t.get(`/events?before_id=${last}`)).json();
    expect(Number(next[0].id)).toBe(Number(last) - 1);
    expect((await t.get('/events?before_id=abc')).json()).toEqual([]);
  });

  it('writes deploy start and end events, the end pointing to the start with before and after context', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    await t.finish(id);
    const events = (await t.get(`/events?task=${id}&object_type=deployment`)).json();
    expect(events).toHaveLength(2);
    const [end, start] = events;
    expect(end.parent_id).toBe(start.id);
    expect(start.action).toBe('create');
    expect(end.context).toEqual({
      before: {},
      after: {
        releases: ['sim-app/0+dev.17'],
        stemcells: ['bosh-warden-boshlite-ubuntu-jammy-go_agent/1.445'],
      },
    });
    const locks = (await t.get(`/events?task=${id}&object_type=lock`)).json();
    expect(locks.map((e: { action: string }) => e.action)).toEqual(['release', 'acquire']);
    expect(locks[0].object_name).toBe('lock:deployment:demo');
  });

  it('puts the cancellation on the end event of a cancelled deploy', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    await t.clock.advance(3_000);
    t.sim.tasks.cancel(id);
    await t.finish(id);
    const [end] = (await t.get(`/events?task=${id}&object_type=deployment`)).json();
    expect(end.error).toBe(`Task ${id} cancelled`);
  });

  it('filters by time, epoch seconds or parsed, after_time strictly after at one-second granularity', async () => {
    const all = (await t.get('/events?object_type=lock')).json();
    const stamp = all[5].timestamp;
    const after = (await t.get(`/events?object_type=lock&after_time=${stamp}`)).json();
    expect(after.every((e: { timestamp: number }) => e.timestamp > stamp)).toBe(true);
    expect(after.length).toBeLessThan(6);
    const iso = new Date(stamp * 1000).toISOString().replace('T', ' ').replace('.000Z', '');
    const before = (await t.get(`/events?object_type=lock&before_time=${encodeURIComponent(iso)}`)).json();
    expect(before.every((e: { timestamp: number }) => e.timestamp < stamp)).toBe(true);
    expect(before.length).toBeGreaterThan(0);
  });

  it('refuses a bad time with a plain 400 ending in a space, labelled JSON', async () => {
    const r = await t.get('/events?before_time=Wrong');
    expect(r.status).toBe(400);
    expect(r.text).toBe("Invalid before parameter: 'Wrong' ");
    expect(r.headers['content-type']).toBe('application/json');
    expect((await t.get('/events?after_time=nope')).text).toBe("Invalid after parameter: 'nope' ");
  });

  it('matches user, action, deployment, instance and object_name exactly', async () => {
    const zk = (await t.get('/events?deployment=zookeeper&user=alpha-admin&action=run')).json();
    expect(zk.length).toBe(12);
    expect(zk.every((e: { object_type: string }) => e.object_type === 'errand')).toBe(true);
    const one = zk.find((e: { context: { exit_code?: number } }) => e.context.exit_code === 1);
    expect(one.object_name).toBe('status');
    expect((await t.get(`/events?instance=${encodeURIComponent(one.instance)}`)).json().length).toBe(2);
  });

  it('admits team readers, who see every event', async () => {
    const r = await t.get('/events?deployment=cf', 'alpha-reader');
    expect(r.status).toBe(200);
    expect(r.json().length).toBeGreaterThan(0);
  });
});

describe('GET /events/{id} and POST /events', () => {
  it('shows one event to an admin, and answers a plain 404 "Event not found" otherwise', async () => {
    expect((await t.get('/events/1')).json().id).toBe('1');
    const missing = await t.get('/events/999999');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe('Event not found');
    expect((await t.get('/events/1', 'reader')).status).toBe(401);
    expect((await t.get('/events/1/more')).text).toBe('Event not found');
  });

  it('records a posted event with an empty 200, and refuses missing keys with 40000', async () => {
    const body = JSON.stringify({
      action: 'note',
      object_type: 'console',
      object_name: 'x',
      context: { a: 1 },
    });
    const r = await t.call('POST', '/events', 'admin', { headers: json, body });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    const [latest] = (await t.get('/events?action=note')).json();
    expect(latest).toMatchObject({
      user: 'admin',
      object_type: 'console',
      object_name: 'x',
      context: { a: 1 },
    });
    const bad = await t.call('POST', '/events', 'admin', { headers: json, body: '{"action":"x"}' });
    expect(bad.json()).toEqual({ code: 40000, description: 'Action, object_type, object_name are required' });
  });
});

describe('event times', () => {
  it('reads epoch seconds, zone-less times as UTC, RFC 3339 and the date(1) format', () => {
    expect(parseEventTime('1462728392')).toBe(1462728392000);
    expect(parseEventTime('2016-05-08 17:26:32')).toBe(Date.UTC(2016, 4, 8, 17, 26, 32));
    expect(parseEventTime('2016-05-08T17:26:32+02:00')).toBe(Date.UTC(2016, 4, 8, 15, 26, 32));
    expect(parseEventTime('Sun May 08 17:26:32 UTC 2016')).toBe(Date.UTC(2016, 4, 8, 17, 26, 32));
    expect(parseEventTime('Wrong')).toBeNull();
  });
});
