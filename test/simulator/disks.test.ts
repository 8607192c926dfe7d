import { describe, expect, it } from 'vitest';
import { eachManualSim, events, taskIdFrom } from './helpers.js';

const t = eachManualSim();

describe('orphaned disks', () => {
  it('lists the seeded orphaned disks to admins only, the same under /orphan_disks', async () => {
    const disks = (await t.get('/disks')).json();
    expect(disks).toHaveLength(3);
    expect(Object.keys(disks[0])).toEqual([
      'disk_cid',
      'size',
      'az',
      'deployment_name',
      'instance_name',
      'cloud_properties',
      'orphaned_at',
    ]);
    expect(disks[0].orphaned_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect((await t.get('/orphan_disks')).json()).toEqual(disks);
    expect((await t.get('/disks', 'reader')).status).toBe(401);
  });

  it('deletes an orphaned disk in a task without a deployment; an unknown cid succeeds too', async () => {
    const [disk] = (await t.get('/disks')).json();
    const id = taskIdFrom(await t.call('DELETE', `/disks/${disk.disk_cid}`));
    const task = await t.finish(id);
    expect(task).toMatchObject({
      state: 'done',
      description: 'delete orphan disks',
      deployment: null,
      result: `orphaned disk(s) ${disk.disk_cid} deleted`,
    });
    expect(events(t.sim, id)[0]).toMatchObject({
      stage: 'Deleting orphaned disks',
      task: `Deleting orphaned disk ${disk.disk_cid}`,
    });
    expect((await t.get('/disks')).json()).toHaveLength(2);
    expect((await t.finish(taskIdFrom(await t.call('DELETE', '/orphan_disks/unknown')))).state).toBe('done');
  });

  it('refuses to delete an active persistent disk, and orphans it with orphan=true', async () => {
    const cid = (await t.get('/deployments/zookeeper/jobs/zookeeper/0')).json().disks[0];
    const r = await t.call('DELETE', `/disks/${cid}`);
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({
      code: 520000,
      description: `Deleting persistent disk is not supported: ["${cid}"]`,
    });
    const task = await t.finish(taskIdFrom(await t.call('DELETE', `/disks/${cid}?orphan=true`)));
    expect(task).toMatchObject({ description: 'orphan disk', result: `disk ${cid} orphaned` });
    expect((await t.get('/disks')).json().map((d: { disk_cid: string }) => d.disk_cid)).toContain(cid);
  });
});

describe('GET /orphaned_vms', () => {
  it('lists the orphaned VM with its address without the /32 prefix', async () => {
    const [vm] = (await t.get('/orphaned_vms')).json();
    expect(Object.keys(vm)).toEqual([
      'az',
      'cid',
      'deployment_name',
      'instance_name',
      'ip_addresses',
      'orphaned_at',
    ]);
    expect(vm).toMatchObject({ az: 'z2', deployment_name: 'cf', ip_addresses: ['10.244.2.99'] });
    expect((await t.get('/orphaned_vms', 'reader')).status).toBe(401);
  });
});

describe('variables and certificates', () => {
  it('lists a deployment’s variables to its admins only', async () => {
    const vars = (await t.get('/deployments/cf/variables')).json();
    expect(vars.map((v: { name: string }) => v.name)).toEqual([
      '/bosh-simulator/cf/nats_password',
      '/bosh-simulator/cf/router_tls',
      '/bosh-simulator/cf/nats_tls',
      '/bosh-simulator/cf/diego_ca',
    ]);
    expect((await t.get('/deployments/cf/variables', 'reader')).status).toBe(401);
  });

  it('shows certificate expiry to readers, one close and one past', async () => {
    const certs = (await t.get('/deployments/cf/certificate_expiry', 'reader')).json();
    expect(certs.map((c: { days_left: number }) => c.days_left)).toEqual([25, -2, 1095]);
    expect(Object.keys(certs[0])).toEqual(['name', 'id', 'expiry_date', 'days_left']);
    expect(certs[0].expiry_date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect((await t.get('/deployments/zookeeper/certificate_expiry', 'alpha-reader')).json()).toHaveLength(1);
  });

  it('lists the Director’s own certificates in file order, unset ones skipped', async () => {
    const r = await t.get('/director/certificate_expiry', 'reader');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.json().map((c: { certificate_path: string }) => c.certificate_path)).toEqual([
      'director.ssl.cert',
      'blobstore.tls.cert.ca',
      'nats.tls.ca',
      'nats.tls.client_ca.certificate',
      'nats.tls.director.certificate',
    ]);
    expect((await t.get('/director/certificate_expiry', 'alpha-admin')).status).toBe(401);
  });
});
