import { describe, expect, it } from 'vitest';
import { ManualClock, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { DEMO_MANIFEST, request } from './helpers.js';

async function snapshot(seed: number): Promise<Record<string, string>> {
  const clock = new ManualClock();
  const sim: Simulator = await startSimulator({ seed, clock });
  try {
    const auth = sim.basicAuth('admin');
    const out: Record<string, string> = {};
    for (const path of [
      '/info',
      '/deployments',
      '/tasks?verbose=2',
      '/stemcells',
      '/releases',
      '/deployments/cf/vms',
      '/deployments/zookeeper/instances',
    ]) {
      out[path] = (await request(sim.url, 'GET', path, { auth })).text;
    }
    for (const task of sim.tasks.list()) out[`events ${task.id}`] = sim.tasks.eventOutput(task.id);
    // A live deploy and a vm-stats task draw from the same seeded sequence.
    const id = sim.tasks.startDeploy(DEMO_MANIFEST);
    await clock.advance(120_000);
    out.deploy = sim.tasks.eventOutput(id);
    const full = await request(sim.url, 'GET', '/deployments/cf/vms?format=full', { auth });
    const vmsTask = Number(String(full.headers.location).split('/').pop());
    await clock.advance(5_000);
    out.vms = sim.tasks.resultOutput(vmsTask);
    return out;
  } finally {
    await sim.stop();
  }
}

describe('seeding', () => {
  it('builds the same Director, ids, cids, ips and logs from the same seed', async () => {
    const a = await snapshot(42);
    const b = await snapshot(42);
    expect(Object.keys(a).length).toBeGreaterThan(30);
    for (const key of Object.keys(a)) expect(b[key], key).toBe(a[key]);
  });

  it('builds a different Director from another seed', async () => {
    const a = await snapshot(1);
    const b = await snapshot(2);
    expect(b['/deployments/cf/vms']).not.toBe(a['/deployments/cf/vms']);
    expect(JSON.parse(b['/info']!).uuid).not.toBe(JSON.parse(a['/info']!).uuid);
    // The shape of the seed does not depend on the seed.
    expect(JSON.parse(b['/deployments']!).map((d: { name: string }) => d.name)).toEqual(
      JSON.parse(a['/deployments']!).map((d: { name: string }) => d.name),
    );
  });

  it('places every seeded task in the past of the clock’s start, finished', async () => {
    const clock = new ManualClock();
    const sim = await startSimulator({ clock });
    try {
      const tasks = sim.tasks.list();
      const states = new Set(tasks.map((t) => t.state));
      expect(states).toEqual(new Set(['done', 'error', 'cancelled']));
      for (const t of tasks) {
        expect(t.timestamp!).toBeLessThan(clock.now() / 1000);
        expect(t.started_at!).toBeLessThanOrEqual(t.timestamp!);
      }
      expect(tasks.map((t) => t.id)).toEqual(tasks.map((_, i) => i + 1));
    } finally {
      await sim.stop();
    }
  });
});
