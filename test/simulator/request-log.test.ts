import { describe, expect, it } from 'vitest';
import { eachManualSim, request } from './helpers.js';

const t = eachManualSim();

describe('the request log', () => {
  it('counts requests by method, path and user, with the query kept apart', async () => {
    await t.get('/deployments/cf/vms');
    await t.get('/deployments/cf/vms?format=full', 'reader');
    await t.get('/deployments', null);
    await t.call('DELETE', '/task/1');
    expect(t.sim.requests.count()).toBe(4);
    expect(t.sim.requests.count({ method: 'GET', path: '/deployments/cf/vms' })).toBe(2);
    expect(t.sim.requests.count({ path: '/deployments/cf/vms', user: 'reader' })).toBe(1);
    expect(t.sim.requests.count({ path: /^\/deployments/ })).toBe(3);
    expect(t.sim.requests.count({ user: '-' })).toBe(1);
    expect(t.sim.requests.count({ method: 'delete', path: '/task/1' })).toBe(1);
    const full = t.sim.requests.list({ user: 'reader' })[0]!;
    expect(full).toMatchObject({
      method: 'GET',
      path: '/deployments/cf/vms',
      query: 'format=full',
      status: 302,
    });
    expect(t.sim.requests.summary()).toEqual({
      'GET /deployments/cf/vms': 2,
      'GET /deployments': 1,
      'DELETE /task/1': 1,
    });
  });

  it('keeps the path as sent, with the real deployment name and task id', async () => {
    await t.get('/deployments/..%2Ftasks');
    await t.get('/tasks/17');
    expect(t.sim.requests.list().map((r) => r.path)).toEqual(['/deployments/..%2Ftasks', '/tasks/17']);
  });

  it('sums the body bytes sent, so a test can assert what a tail downloaded', async () => {
    const id = t.sim.tasks.list().find((x) => x.deployment === 'cf')!.id;
    const path = `/tasks/${id}/output`;
    const size = Buffer.byteLength(t.sim.tasks.eventOutput(id));
    await t.get(`${path}?type=event`, 'admin', { headers: { range: 'bytes=0-99' } });
    await t.get(`${path}?type=event`, 'admin', { headers: { range: 'bytes=100-' } });
    await t.get(`${path}?type=event`, 'admin', { headers: { range: `bytes=${size}-` } });
    expect(t.sim.requests.bytes({ path })).toBe(size + 'Byte range unsatisfiable'.length);
    expect(t.sim.requests.list({ path }).map((r) => r.status)).toEqual([206, 206, 416]);
  });

  it('empties on reset, from the API or the control endpoint', async () => {
    await t.get('/info');
    t.sim.requests.reset();
    expect(t.sim.requests.count()).toBe(0);
    await t.get('/info');
    expect((await request(t.sim.url, 'POST', '/_simulator/requests/reset')).status).toBe(204);
    expect(t.sim.requests.count()).toBe(0);
  });

  it('answers filtered counts and bytes over the control endpoint', async () => {
    await t.get('/stemcells');
    await t.get('/stemcells', 'reader');
    await t.get('/releases');
    const r = (await request(t.sim.url, 'GET', '/_simulator/requests?path=/stemcells&user=admin')).json();
    expect(r.count).toBe(1);
    expect(r.bytes).toBe(t.sim.requests.bytes({ path: '/stemcells', user: 'admin' }));
    expect(r.requests[0]).toMatchObject({ method: 'GET', path: '/stemcells', user: 'admin', status: 200 });
    const prefixed = (await request(t.sim.url, 'GET', '/_simulator/requests?pathPrefix=/stem')).json();
    expect(prefixed.count).toBe(2);
  });
});
