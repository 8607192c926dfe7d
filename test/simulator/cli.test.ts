import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchSimulator, parseSimulateArgs, SIMULATE_USAGE } from '../../src/cli/simulate.js';
import { parseServeConfig } from '../../src/config.js';
import { createGatewayRuntime } from '../../src/server/start.js';
import { request } from './helpers.js';

describe('bosh-graphql simulate flags', () => {
  it('defaults to HTTPS on 127.0.0.1:25555 with basic auth, seed 1 and 500 ms ticks', () => {
    const parsed = parseSimulateArgs([], {});
    expect(parsed).toEqual({
      kind: 'run',
      config: {
        options: {
          host: '127.0.0.1',
          port: 25555,
          tls: true,
          auth: 'basic',
          seed: 1,
          tickMs: 500,
          tokenTtlSeconds: 600,
          lockWaitMs: 10_000,
          faults: undefined,
        },
        caOut: undefined,
      },
    });
  });

  it('reads every setting from its environment variable, and lets flags win', () => {
    const env = {
      BOSH_SIM_PORT: '3000',
      BOSH_SIM_HOST: '::1',
      BOSH_SIM_HTTP: 'true',
      BOSH_SIM_CA_OUT: '/tmp/ca.pem',
      BOSH_SIM_AUTH: 'uaa',
      BOSH_SIM_SEED: '9',
      BOSH_SIM_TICK_MS: '20',
      BOSH_SIM_TOKEN_TTL: '30',
      BOSH_SIM_LOCK_WAIT_MS: '100',
      BOSH_SIM_FAULTS: '{"latencyMs":5}',
    };
    const fromEnv = parseSimulateArgs([], env);
    expect(fromEnv).toMatchObject({
      kind: 'run',
      config: {
        options: {
          host: '::1',
          port: 3000,
          tls: false,
          auth: 'uaa',
          seed: 9,
          tickMs: 20,
          tokenTtlSeconds: 30,
          lockWaitMs: 100,
          faults: { latencyMs: 5 },
        },
        caOut: '/tmp/ca.pem',
      },
    });
    const flags = parseSimulateArgs(['--port', '4000', '--seed', '3', '--auth', 'basic'], env);
    expect(flags).toMatchObject({ config: { options: { port: 4000, seed: 3, auth: 'basic' } } });
  });

  it('allows plain HTTP only on loopback hosts', () => {
    expect(parseSimulateArgs(['--http', '--host', 'localhost'], {}).kind).toBe('run');
    expect(parseSimulateArgs(['--http', '--host', '127.0.0.2'], {}).kind).toBe('run');
    const open = parseSimulateArgs(['--http', '--host', '0.0.0.0'], {});
    expect(open).toMatchObject({ kind: 'error', message: expect.stringMatching(/only allowed on loopback/) });
    expect(parseSimulateArgs(['--host', '0.0.0.0'], {}).kind).toBe('run');
  });

  it('reports bad values and unknown flags instead of starting', () => {
    expect(parseSimulateArgs(['--auth', 'ldap'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--port', 'x'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--port', '70000'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--tick-ms', '0'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--faults', '{'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--bogus'], {}).kind).toBe('error');
    expect(parseSimulateArgs(['--help'], {}).kind).toBe('help');
  });

  it('lists every flag with its environment variable and default in --help', () => {
    for (const [flag, env, fallback] of [
      ['--port', 'BOSH_SIM_PORT', '25555'],
      ['--host', 'BOSH_SIM_HOST', '127.0.0.1'],
      ['--http', 'BOSH_SIM_HTTP', 'off'],
      ['--ca-out', 'BOSH_SIM_CA_OUT', 'none'],
      ['--auth', 'BOSH_SIM_AUTH', 'basic'],
      ['--seed', 'BOSH_SIM_SEED', '1'],
      ['--tick-ms', 'BOSH_SIM_TICK_MS', '500'],
      ['--token-ttl', 'BOSH_SIM_TOKEN_TTL', '600'],
      ['--lock-wait-ms', 'BOSH_SIM_LOCK_WAIT_MS', '10000'],
      ['--faults', 'BOSH_SIM_FAULTS', 'none'],
    ]) {
      const at = SIMULATE_USAGE.indexOf(`  ${flag}`);
      expect(at, flag).toBeGreaterThan(-1);
      const entry = SIMULATE_USAGE.slice(at).split('\n').slice(0, 2).join('\n');
      expect(entry).toContain(`(env ${env})`);
      expect(entry).toContain(`Default: ${fallback}`);
    }
  });
});

describe('launching', () => {
  it('prints the URL, the default credentials and a hint about the CA file', async () => {
    const parsed = parseSimulateArgs(['--http', '--port', '0'], {});
    if (parsed.kind !== 'run') throw new Error('expected run');
    const lines: string[] = [];
    const sim = await launchSimulator(parsed.config, (l) => lines.push(l));
    try {
      expect(lines[0]).toContain(sim.url);
      expect(lines.join('\n')).toContain('admin/admin');
      expect(lines.join('\n')).toContain('alpha-admin/alpha-admin');
      expect((await request(sim.url, 'GET', '/info')).status).toBe(200);
    } finally {
      await sim.stop();
    }
  });

  it('writes the CA certificate to --ca-out when serving HTTPS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-ca-'));
    try {
      const parsed = parseSimulateArgs(['--port', '0', '--ca-out', join(dir, 'ca.pem')], {});
      if (parsed.kind !== 'run') throw new Error('expected run');
      const lines: string[] = [];
      const sim = await launchSimulator(parsed.config, (l) => lines.push(l));
      try {
        const pem = await readFile(join(dir, 'ca.pem'), 'utf8');
        expect(pem).toBe(sim.caCert);
        expect(lines.join('\n')).toContain(join(dir, 'ca.pem'));

        // The banner's line for the gateway works as printed: its settings reach this Director.
        const line = lines.find((l) => l.includes('The gateway: '));
        const settings = /The gateway: (.*) npm start$/.exec(line ?? '')?.[1];
        expect(settings, lines.join('\n')).toContain(`BOSH_CA_CERT=${join(dir, 'ca.pem')}`);
        const env = Object.fromEntries(
          settings!.split(' ').map((pair) => pair.split('=') as [string, string]),
        );
        const config = parseServeConfig([], env);
        const runtime = createGatewayRuntime({ director: config.director! });
        try {
          const reply = await runtime.gateway.yoga.fetch('http://gateway/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ director { name user } }' }),
          });
          expect(await reply.json()).toEqual({
            data: { director: { name: 'bosh-simulator', user: 'admin' } },
          });
        } finally {
          await runtime.close();
        }
      } finally {
        await sim.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('hints at --ca-out when serving HTTPS without it', async () => {
    const parsed = parseSimulateArgs(['--port', '0'], {});
    if (parsed.kind !== 'run') throw new Error('expected run');
    const lines: string[] = [];
    const sim = await launchSimulator(parsed.config, (l) => lines.push(l));
    await sim.stop();
    expect(lines.join('\n')).toMatch(/pass --ca-out FILE/);
    expect(lines.join('\n')).toMatch(/The gateway: restart with --ca-out FILE, then .*BOSH_CA_CERT=FILE/);
  });
});
