/**
 * Director-wide reads of a console: orphaned disks and VMs and the Director's own certificates,
 * as the simulated Director lists them, one call each, and refused as the Director refuses.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { INFO_BASIC } from '../director/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { json, type StubDirector, startStub, text } from '../helpers/stub-director.js';
import { codes, directorGet } from './support.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  await gw.graphql('{ director { name } }');
});
afterAll(() => gw.close());

describe('orphans', () => {
  it('lists orphaned disks and VMs as the Director does, sizes in MiB and times in UTC', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(`{
      orphanedDisks { cid size az deploymentName instanceName cloudProperties orphanedAt }
      orphanedVms { cid az deploymentName instanceName ips orphanedAt }
    }`);
    expect(reply.errors).toBeUndefined();
    expect(gw.calls().sort()).toEqual(['GET /disks', 'GET /orphaned_vms']);
    const disks = (await directorGet(gw, '/disks', 'admin')) as Record<string, unknown>[];
    expect(reply.data.orphanedDisks).toEqual(
      disks.map((d) => ({
        cid: d.disk_cid,
        size: d.size,
        az: d.az,
        deploymentName: d.deployment_name,
        instanceName: d.instance_name,
        cloudProperties: d.cloud_properties,
        orphanedAt: new Date(String(d.orphaned_at).replace(' UTC', 'Z').replace(' ', 'T')).toISOString(),
      })),
    );
    expect(reply.data.orphanedDisks.map((d: { size: number }) => d.size).sort()).toEqual([
      10240, 10240, 51200,
    ]);
    const [vm] = reply.data.orphanedVms;
    expect(vm).toMatchObject({ deploymentName: 'cf', az: 'z2', ips: ['10.244.2.99'] });
    expect(vm.instanceName).toMatch(/^router\//);
  });

  it('refuses them to a reader and to a team admin: they need Director admin rights', async () => {
    for (const user of ['reader', 'alpha-admin']) {
      const reply = await gw.graphql('{ orphanedDisks { cid } }', undefined, user);
      expect(codes(reply), user).toEqual(['FORBIDDEN']);
    }
  });
});

describe("the Director's certificates", () => {
  it('list each with its expiry and days left, at one call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ director { name certificateExpiry { name expiresAt daysLeft } } }');
    expect(reply.errors).toBeUndefined();
    expect(gw.calls().sort()).toEqual(['GET /director/certificate_expiry', 'GET /info']);
    const wire = (await directorGet(gw, '/director/certificate_expiry', 'admin')) as {
      certificate_path: string;
      expiry: string;
      days_left: number;
    }[];
    expect(reply.data.director.certificateExpiry).toEqual(
      wire.map((c) => ({
        name: c.certificate_path,
        expiresAt: new Date(c.expiry).toISOString(),
        daysLeft: c.days_left,
      })),
    );
    expect(reply.data.director.certificateExpiry.map((c: { name: string }) => c.name)).toContain(
      'director.ssl.cert',
    );
  });

  it('need Director-wide read rights', async () => {
    const reply = await gw.graphql('{ director { certificateExpiry { name } } }', undefined, 'alpha-admin');
    expect(codes(reply)).toEqual(['FORBIDDEN']);
  });
});

describe('certificates on a Director without the endpoints', () => {
  let stub: StubDirector;
  let rt: GatewayRuntime;
  beforeEach(async () => {
    stub = await startStub();
    rt = createGatewayRuntime({ director: { url: stub.url }, graphiql: false });
  });
  afterEach(async () => {
    await rt.close();
    await stub.close();
  });

  it("are empty lists, not errors, for the Director's and a deployment's", async () => {
    const missing = (path: string) => text(404, `Endpoint '${path}' not found.`);
    stub.on('GET /info', json(200, INFO_BASIC));
    stub.on('GET /deployments', json(200, [{ name: 'old', teams: [] }]));
    stub.on('GET /director/certificate_expiry', missing('/director/certificate_expiry'));
    stub.on('GET /deployments/old/certificate_expiry', missing('/deployments/old/certificate_expiry'));
    const response = await rt.gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
      body: JSON.stringify({
        query:
          '{ director { certificateExpiry { name } } deployment(name: "old") { certificateExpiry { name } } }',
      }),
    });
    const reply = (await response.json()) as { data: unknown; errors?: unknown };
    expect(reply.errors).toBeUndefined();
    expect(reply.data).toEqual({
      director: { certificateExpiry: [] },
      deployment: { certificateExpiry: [] },
    });
  });
});
