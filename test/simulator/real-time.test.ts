import { X509Certificate } from 'node:crypto';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { DEMO_MANIFEST, request } from './helpers.js';

describe('real time', () => {
  it('runs a deploy to completion with many event records when tickMs is small', async () => {
    const sim = await startSimulator({ tickMs: 5 });
    try {
      const id = sim.tasks.startDeploy(DEMO_MANIFEST);
      const end = await sim.tasks.wait(id);
      expect(end.state).toBe('done');
      expect(sim.tasks.events(id).length).toBeGreaterThan(20);
      expect(sim.deployments.manifest('demo')).toBe(DEMO_MANIFEST);
    } finally {
      await sim.stop();
    }
  });

  it('stops with a task running and a request in flight, closing that connection', async () => {
    const sim = await startSimulator({ tickMs: 60_000, faults: { latencyMs: 600_000 } });
    const id = sim.tasks.startDeploy(DEMO_MANIFEST);
    const inFlight = request(sim.url, 'GET', '/info').then(
      () => 'answered',
      () => 'closed',
    );
    // Wait until the server holds the request (it is logged before the delay starts).
    while (sim.requests.count({ path: '/info' }) === 0) await new Promise((r) => setTimeout(r, 5));
    await sim.stop();
    expect(await inFlight).toBe('closed');
    expect(sim.tasks.get(id)?.state).toBe('queued');
  });
});

describe('TLS', () => {
  it('serves HTTPS with an RSA certificate for the loopback names, signed by the CA it returns', async () => {
    const sim = await startSimulator({ tls: true });
    try {
      expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.caCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const { status, cert, body } = await new Promise<{
        status: number;
        cert: X509Certificate;
        body: string;
      }>((resolve, reject) => {
        const req = https.get(`${sim.url}/info`, { ca: sim.caCert, servername: 'localhost' }, (res) => {
          const peer = (res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()!;
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, cert: peer, body: text }));
        });
        req.on('error', reject);
      });
      expect(status).toBe(200);
      expect(JSON.parse(body).name).toBe('bosh-simulator');
      expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
      expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(cert.subjectAltName).toContain('DNS:localhost');
      expect(cert.subjectAltName).toMatch(/IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
      expect(cert.checkIssued(new X509Certificate(sim.caCert!))).toBe(true);
      const location = await new Promise<string>((resolve, reject) => {
        const req = https.request(
          `${sim.url}/deployments/cf`,
          { method: 'DELETE', ca: sim.caCert, headers: { authorization: sim.basicAuth('admin') } },
          (res) => {
            res.resume();
            resolve(String(res.headers.location));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(location).toMatch(new RegExp(`^${sim.url}/tasks/\\d+$`));
    } finally {
      await sim.stop();
    }
  });

  it('refuses clients that do not trust its CA', async () => {
    const sim = await startSimulator({ tls: true });
    try {
      await expect(fetch(`${sim.url}/info`)).rejects.toThrow();
    } finally {
      await sim.stop();
    }
  });
});
