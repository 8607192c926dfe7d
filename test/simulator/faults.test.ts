import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../src/simulator/index.js';
import { eachManualSim, request } from './helpers.js';

const t = eachManualSim();

/** Resolves with the first body chunk (and the response) without waiting for the rest. */
function firstChunk(
  url: string,
  path: string,
  auth: string,
): Promise<{ status: number; chunk: Buffer; req: http.ClientRequest }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, headers: { authorization: auth }, agent: false },
      (res) => {
        res.once('data', (chunk: Buffer) => resolve({ status: res.statusCode ?? 0, chunk, req }));
        res.on('error', () => {});
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('injected errors', () => {
  it('answers the next N requests with the error status, then normally again', async () => {
    t.sim.faults.set({ errorNext: 2 });
    const a = await t.get('/deployments');
    const b = await t.get('/deployments');
    const c = await t.get('/deployments');
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.text).toContain('503 Service Temporarily Unavailable');
    expect(t.sim.requests.list().map((r) => r.fault ?? null)).toEqual(['error', 'error', null]);
  });

  it('uses the configured status, with an empty body for a 500', async () => {
    t.sim.faults.set({ errorNext: 1, errorStatus: 500 });
    const r = await t.get('/info');
    expect(r.status).toBe(500);
    expect(r.text).toBe('');
  });

  it('only hits requests whose path starts with the prefix, and only the given method', async () => {
    t.sim.faults.set({ errorNext: 1, pathPrefix: '/tasks', method: 'GET' });
    expect((await t.get('/deployments')).status).toBe(200);
    expect((await t.call('DELETE', '/task/1')).status).toBe(400);
    expect((await t.get('/tasks/1')).status).toBe(503);
    expect((await t.get('/tasks/1')).status).toBe(200);
  });

  it('fails a deterministic share of requests: the same seed fails the same requests', async () => {
    const pattern = async (seed: number) => {
      const s = await startSimulator({ seed, faults: { errorRate: 0.5 } });
      try {
        const out: number[] = [];
        for (let i = 0; i < 16; i++) out.push((await request(s.url, 'GET', '/info')).status);
        return out;
      } finally {
        await s.stop();
      }
    };
    const first = await pattern(7);
    expect(await pattern(7)).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it('can be set at start through the options', async () => {
    const s = await startSimulator({ faults: { errorNext: 1, errorStatus: 502 } });
    try {
      expect((await request(s.url, 'GET', '/info')).status).toBe(502);
      expect((await request(s.url, 'GET', '/info')).status).toBe(200);
    } finally {
      await s.stop();
    }
  });

  it('rejects unknown or out-of-range settings', () => {
    expect(() => t.sim.faults.set({ errorRate: 2 })).toThrow(/between 0 and 1/);
    expect(() => t.sim.faults.set({ nope: 1 } as never)).toThrow(/unknown fault "nope"/);
    expect(() => t.sim.faults.set({ errorStatus: 404 })).toThrow(/5xx/);
  });
});

describe('connection resets', () => {
  it('destroys the connection before answering for the next N requests', async () => {
    t.sim.faults.set({ resetNext: 1 });
    await expect(t.get('/deployments')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await t.get('/deployments')).status).toBe(200);
    expect(t.sim.requests.list()[0]).toMatchObject({ fault: 'reset', status: null, bytes: 0 });
  });

  it('can reset in the middle of the body instead', async () => {
    t.sim.faults.set({ resetNext: 1, resetMidBody: true });
    await expect(t.get('/deployments')).rejects.toThrow(/aborted|ECONNRESET|socket hang up/);
    const rec = t.sim.requests.list()[0]!;
    expect(rec.fault).toBe('reset');
    expect(rec.status).toBe(200);
    expect(rec.bytes).toBeGreaterThan(0);
  });
});

describe('slow bodies, latency and Range', () => {
  it('sends the body in chunks of the configured size, pausing between them', async () => {
    t.sim.faults.set({ slowBodyChunkBytes: 7, slowBodyDelayMs: 60_000 });
    const { status, chunk, req } = await firstChunk(t.sim.url, '/deployments', t.sim.basicAuth('admin'));
    expect(status).toBe(200);
    expect(chunk.length).toBe(7);
    req.destroy();
  });

  it('delivers the same bytes as an unfaulted answer', async () => {
    const normal = await t.get('/deployments/cf/vms');
    t.sim.faults.set({ slowBodyChunkBytes: 100, slowBodyDelayMs: 1 });
    const slow = await t.get('/deployments/cf/vms');
    expect(slow.body.equals(normal.body)).toBe(true);
  });

  it('holds the answer back for the added latency', async () => {
    t.sim.faults.set({ latencyMs: 60_000, pathPrefix: '/deployments' });
    let answered = false;
    const pending = t.get('/deployments').then(
      () => {
        answered = true;
      },
      () => {},
    );
    // Unfaulted paths answer while the delayed one is still held.
    expect((await t.get('/info')).status).toBe(200);
    expect((await t.get('/stemcells')).status).toBe(200);
    expect(answered).toBe(false);
    await t.sim.stop();
    await pending;
    expect(answered).toBe(false);
  });

  it('ignores Range when asked, answering 200 with the whole output', async () => {
    const id = t.sim.tasks.list().find((x) => x.deployment === 'cf')!.id;
    t.sim.faults.set({ ignoreRange: true });
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', { headers: { range: 'bytes=10-' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe(t.sim.tasks.eventOutput(id));
  });
});

describe('the control endpoint', () => {
  const json = { 'content-type': 'application/json' };

  it('sets, shows and clears faults without Director credentials', async () => {
    const put = await request(t.sim.url, 'PUT', '/_simulator/faults', {
      headers: json,
      body: '{"errorNext":1}',
    });
    expect(put.status).toBe(200);
    expect(put.json().errorNext).toBe(1);
    expect((await request(t.sim.url, 'GET', '/_simulator/faults')).json().errorNext).toBe(1);
    expect((await t.get('/info')).status).toBe(503);
    await request(t.sim.url, 'PUT', '/_simulator/faults', { headers: json, body: '{"errorNext":3}' });
    const cleared = await request(t.sim.url, 'DELETE', '/_simulator/faults');
    expect(cleared.json().errorNext).toBe(0);
    expect((await t.get('/info')).status).toBe(200);
  });

  it('answers 400 for unknown fault names and malformed JSON', async () => {
    const bad = await request(t.sim.url, 'PUT', '/_simulator/faults', {
      headers: json,
      body: '{"latency":5}',
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatch(/unknown fault "latency"/);
    expect((await request(t.sim.url, 'PUT', '/_simulator/faults', { headers: json, body: '{' })).status).toBe(
      400,
    );
  });

  it('is never faulted and never counted', async () => {
    t.sim.faults.set({ errorNext: 5, resetNext: 5 });
    expect((await request(t.sim.url, 'GET', '/_simulator/faults')).status).toBe(200);
    expect((await request(t.sim.url, 'GET', '/_simulator/requests')).json().count).toBe(0);
    expect(t.sim.requests.count()).toBe(0);
  });

  it('advances a manual clock and reports it', async () => {
    const before = (await request(t.sim.url, 'GET', '/_simulator/clock')).json();
    expect(before.manual).toBe(true);
    const after = await request(t.sim.url, 'POST', '/_simulator/clock/advance', {
      headers: json,
      body: '{"ms":5000}',
    });
    expect(after.json().now).toBe(before.now + 5000);
    expect(t.sim.clock.now()).toBe(before.now + 5000);
  });

  it('refuses to advance a real clock', async () => {
    const s = await startSimulator();
    try {
      const r = await request(s.url, 'POST', '/_simulator/clock/advance', {
        headers: json,
        body: '{"ms":5}',
      });
      expect(r.status).toBe(409);
    } finally {
      await s.stop();
    }
  });
});
