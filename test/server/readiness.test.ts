/**
 * README "Operations": /health is liveness; /ready answers 503 with a JSON reason while the
 * Director is unreachable, its certificate fails, the circuit breaker is open, or the configured
 * client is refused. And a refused configured client is named as such in errors.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DirectorClientOptions, DirectorRequestEvent } from '../../src/director/index.js';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<Simulator> {
  const sim = await startSimulator({ tickMs: 20, ...options });
  cleanups.push(() => sim.stop());
  return sim;
}

function runtime(director: DirectorClientOptions): GatewayRuntime {
  const rt = createGatewayRuntime({ director: { retry: { retries: 0 }, ...director }, graphiql: false });
  cleanups.push(() => rt.close());
  return rt;
}

const bases = new WeakMap<GatewayRuntime, string>();

/** The runtime's HTTP base URL, listening on a free port from the first call on. */
async function baseOf(rt: GatewayRuntime): Promise<string> {
  let base = bases.get(rt);
  if (!base) {
    base = (await rt.gateway.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
    bases.set(rt, base);
  }
  return base;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
async function ready(rt: GatewayRuntime): Promise<{ status: number; body: string; json: any }> {
  const response = await fetch(`${await baseOf(rt)}/ready`);
  const body = await response.text();
  return { status: response.status, body, json: JSON.parse(body) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query(rt: GatewayRuntime, text: string, authorization?: string) {
  const response = await rt.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query: text }),
  });
  return (await response.json()) as {
    data?: unknown;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

describe('/ready', () => {
  it('answers 200 when the Director answers and accepts the configured client', async () => {
    const sim = await simulator();
    const rt = runtime({ url: sim.url, client: 'admin', clientSecret: 'admin' });
    const reply = await ready(rt);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ready: true, reasons: [] });
  });

  for (const auth of ['basic', 'uaa'] as const) {
    it(`answers 503 CLIENT_REFUSED for a wrong client secret (${auth}), without the secret`, async () => {
      const sim = await simulator({ auth });
      const rt = runtime({ url: sim.url, client: 'admin', clientSecret: 'not-the-secret-42' });
      const reply = await ready(rt);
      expect(reply.status).toBe(503);
      expect(reply.json.reasons).toEqual([
        expect.objectContaining({ code: 'CLIENT_REFUSED', setting: 'BOSH_CLIENT_SECRET' }),
      ]);
      expect(reply.body).not.toContain('not-the-secret-42');
      expect(reply.body).not.toContain(sim.url);
    });

    it(`says the configured client was refused, not to send a header (${auth})`, async () => {
      const sim = await simulator({ auth });
      const rt = runtime({ url: sim.url, client: 'admin', clientSecret: 'wrong' });
      const reply = await query(rt, '{ deployments { name } }');
      expect(reply.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(reply.errors?.[0]?.message).toMatch(/configured client/);
      expect(reply.errors?.[0]?.message).not.toMatch(/Authorization header/i);
    });
  }

  it('tells a caller without credentials and no configured client to send a header', async () => {
    const sim = await simulator();
    const rt = runtime({ url: sim.url });
    const reply = await query(rt, '{ deployments { name } }');
    expect(reply.errors?.[0]?.message).toMatch(/send an Authorization header/);
    const own = await query(
      rt,
      '{ deployments { name } }',
      `Basic ${Buffer.from('admin:nope').toString('base64')}`,
    );
    expect(own.errors?.[0]?.message).toMatch(/credentials of this request/);
  });

  it('answers 503 DIRECTOR_UNREACHABLE when nothing listens, while /health stays 200', async () => {
    const port = await freePort();
    const rt = runtime({ url: `http://127.0.0.1:${port}`, client: 'admin', clientSecret: 'admin' });
    const reply = await ready(rt);
    expect(reply.status).toBe(503);
    expect(reply.json.reasons[0]).toMatchObject({
      code: 'DIRECTOR_UNREACHABLE',
      setting: 'BOSH_ENVIRONMENT',
    });
    expect((await fetch(`${await baseOf(rt)}/health`)).status).toBe(200);
  });

  it("answers 503 DIRECTOR_CERTIFICATE when the Director's certificate does not verify", async () => {
    const sim = await simulator({ tls: true });
    const rt = runtime({ url: sim.url, client: 'admin', clientSecret: 'admin' });
    const reply = await ready(rt);
    expect(reply.status).toBe(503);
    expect(reply.json.reasons[0]).toMatchObject({ code: 'DIRECTOR_CERTIFICATE', setting: 'BOSH_CA_CERT' });
  });
});

describe('the circuit breaker', () => {
  it('fails calls fast while the Director is away, says so in /ready, and closes after one good probe', async () => {
    const port = await freePort();
    const attempts: DirectorRequestEvent[] = [];
    const rt = runtime({
      url: `http://127.0.0.1:${port}`,
      client: 'admin',
      clientSecret: 'admin',
      breaker: { failures: 3, cooldownMs: 300 },
      onRequest: (event) => attempts.push(event),
    });
    const admin = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    for (let i = 0; i < 3; i++) {
      const reply = await query(rt, '{ deployments { name } }', admin);
      expect(reply.errors?.[0]?.extensions?.code).toBe('DIRECTOR_UNAVAILABLE');
    }
    expect(rt.client.breakerState).toBe('open');
    const tried = attempts.length;
    // Open: ten more queries fail at once, and not one of them tries to connect.
    for (let i = 0; i < 10; i++) {
      const reply = await query(rt, '{ deployments { name } }', admin);
      expect(reply.errors?.[0]?.extensions?.code).toBe('DIRECTOR_UNAVAILABLE');
    }
    expect(attempts.length).toBe(tried);
    const report = await ready(rt);
    expect(report.status).toBe(503);
    expect(report.json.reasons[0]).toMatchObject({ code: 'BREAKER_OPEN', setting: 'BOSH_ENVIRONMENT' });

    // The Director comes back on the same port; after the cool-down one probe closes the breaker.
    await simulator({ port });
    await new Promise((resolve) => setTimeout(resolve, 350));
    const back = await query(rt, '{ deployments { name } }', admin);
    expect(back.errors).toBeUndefined();
    expect(rt.client.breakerState).toBe('closed');
  });
});
