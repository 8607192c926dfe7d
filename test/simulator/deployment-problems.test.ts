import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

const json = { 'content-type': 'application/json' };
const resolve = (body: unknown, d = 'cf') =>
  t.call('PUT', `/deployments/${d}/problems`, 'admin', { headers: json, body: JSON.stringify(body) });

describe('cloud check', () => {
  it('shows the seeded scan’s problem: diego-cell/2’s agent is not responding', async () => {
    const r = await t.get('/deployments/cf/problems');
    expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
    const [problem] = r.json();
    expect(Object.keys(problem)).toEqual([
      'id',
      'type',
      'data',
      'description',
      'resolutions',
      'instance_group',
    ]);
    expect(problem).toMatchObject({ id: 1, type: 'unresponsive_agent', instance_group: 'diego-cell' });
    expect(problem.description).toMatch(
      /^VM for 'diego-cell\/[0-9a-f-]+ \(2\)' with cloud ID '[0-9a-f-]+' is not responding\.$/,
    );
    expect(problem.resolutions[0]).toEqual({ name: 'ignore', plan: 'Skip for now' });
  });

  it('scans again: closes open problems, finds it anew, logs the scan stages', async () => {
    const id = taskIdFrom(await t.call('POST', '/deployments/cf/scans'));
    const task = await t.finish(id);
    expect(task).toMatchObject({
      state: 'done',
      description: 'scan cloud',
      result: 'scan complete',
      context_id: '',
    });
    const tasks = events(t.sim, id)
      .filter((e) => e.state === 'started')
      .map((e) => `${e.stage}: ${e.task}`);
    expect(tasks).toEqual([
      'Scanning 10 VMs: Checking VM states',
      'Scanning 10 VMs: 9 OK, 1 unresponsive, 0 missing, 0 unbound',
      'Scanning 1 persistent disks: Looking for inactive disks',
      'Scanning 1 persistent disks: 1 OK, 0 missing, 0 inactive, 0 mount-info mismatch',
    ]);
    expect((await t.get('/deployments/cf/problems')).json().map((p: { id: number }) => p.id)).toEqual([2]);
  });

  it('fails a scan at once while a deployment task holds the lock', async () => {
    // Recreating every VM takes a while.
    t.sim.tasks.startDeploy(t.sim.deployments.manifest('cf')!, 'admin', { recreate: true });
    await t.clock.advance(1_000);
    const id = taskIdFrom(await t.call('POST', '/deployments/cf/scans'));
    await t.finish(id);
    expect(events(t.sim, id).at(-1).error).toEqual({
      code: 100,
      message: 'Unable to get deployment lock, maybe a deployment is in progress. Try again later.',
    });
  });

  it('resolves with recreate_vm: the VM is new and answers, and the problem is gone', async () => {
    const id = taskIdFrom(await resolve({ resolutions: { '1': 'recreate_vm' } }));
    const task = await t.finish(id);
    expect(task).toMatchObject({ state: 'done', description: 'apply resolutions', result: '1 resolved' });
    const [step] = events(t.sim, id).filter((e) => e.state === 'started');
    expect(step.stage).toBe('Applying problem resolutions');
    expect(step.task).toMatch(
      /\(unresponsive_agent [0-9a-f-]+\): Recreate VM and wait for processes to start$/,
    );
    expect((await t.get('/deployments/cf/problems')).json()).toEqual([]);
    const rescan = taskIdFrom(await t.call('POST', '/deployments/cf/scans'));
    await t.finish(rescan);
    expect((await t.get('/deployments/cf/problems')).json()).toEqual([]);
  });

  it('takes null as the default resolution; an unknown one fails its step, resolves anyway and errors with 100', async () => {
    const ignored = taskIdFrom(await resolve({ resolutions: { '1': null } }));
    expect((await t.finish(ignored)).result).toBe('1 resolved');
    const scan = taskIdFrom(await t.call('POST', '/deployments/cf/scans'));
    await t.finish(scan);
    const bad = taskIdFrom(await resolve({ resolutions: { '2': 'teleport' } }));
    const end = await t.finish(bad);
    expect(end.state).toBe('error');
    expect(events(t.sim, bad).some((e) => e.state === 'failed')).toBe(true);
    expect(events(t.sim, bad).at(-1).error.message).toMatch(/^Error resolving problem '2': /);
    expect((await t.get('/deployments/cf/problems')).json()).toEqual([]);
  });

  it('fails a missing resolutions hash inside the task with 410003', async () => {
    const id = taskIdFrom(await resolve({}));
    await t.finish(id);
    expect(events(t.sim, id).at(-1).error).toEqual({
      code: 410003,
      message: 'Invalid format for resolutions, Hash expected, NilClass is given',
    });
  });

  it('scans and fixes the listed instances for the resurrector', async () => {
    t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const r = await t.call('PUT', '/deployments/cf/scan_and_fix', 'admin', {
      headers: json,
      body: JSON.stringify({ jobs: { 'diego-cell': [2] } }),
    });
    const task = await t.finish(taskIdFrom(r));
    expect(task).toMatchObject({ description: 'scan and fix', result: 'scan and fix complete' });
    expect((await t.get('/deployments/cf/problems')).json()).toEqual([]);
  });
});
