/**
 * `bosh-graphql simulate`: the simulated BOSH Director on its own, for frontend work and for
 * trying the bosh CLI against it. Every flag has an environment variable; flags win.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { helpText, unknownFlagMessage } from '../config/help.js';
import {
  type FaultSettings,
  SEEDED_USERS,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../simulator/index.js';

export interface FlagSpec {
  flag: string;
  env: string;
  value: string;
  fallback: string;
  help: string;
}

/** Every flag of `simulate`, the source of its help text (and of the tests that check it). */
export const SIMULATE_FLAGS: readonly FlagSpec[] = [
  {
    flag: 'port',
    env: 'BOSH_SIM_PORT',
    value: 'N',
    fallback: '25555',
    help: 'Port to listen on; 0 picks a free one.',
  },
  {
    flag: 'host',
    env: 'BOSH_SIM_HOST',
    value: 'HOST',
    fallback: '127.0.0.1',
    help: 'Address to listen on.',
  },
  {
    flag: 'http',
    env: 'BOSH_SIM_HTTP',
    value: '',
    fallback: 'off (HTTPS)',
    help: 'Plain HTTP instead of HTTPS (loopback hosts only).',
  },
  {
    flag: 'ca-out',
    env: 'BOSH_SIM_CA_OUT',
    value: 'FILE',
    fallback: 'none',
    help: 'Write the generated CA certificate (PEM) to FILE.',
  },
  {
    flag: 'auth',
    env: 'BOSH_SIM_AUTH',
    value: 'basic|uaa',
    fallback: 'basic',
    help: 'Basic users, or UAA tokens from /oauth/token.',
  },
  {
    flag: 'seed',
    env: 'BOSH_SIM_SEED',
    value: 'N',
    fallback: '1',
    help: 'Seed of the generated ids, cids, ips and vitals.',
  },
  {
    flag: 'tick-ms',
    env: 'BOSH_SIM_TICK_MS',
    value: 'N',
    fallback: '500',
    help: 'Milliseconds between task steps; smaller means faster tasks.',
  },
  {
    flag: 'token-ttl',
    env: 'BOSH_SIM_TOKEN_TTL',
    value: 'SECONDS',
    fallback: '600',
    help: 'UAA access token lifetime.',
  },
  {
    flag: 'lock-wait-ms',
    env: 'BOSH_SIM_LOCK_WAIT_MS',
    value: 'N',
    fallback: '10000',
    help: 'How long a deploy or delete waits for a busy deployment lock.',
  },
  {
    flag: 'faults',
    env: 'BOSH_SIM_FAULTS',
    value: 'JSON',
    fallback: 'none',
    help: 'Faults active from the start, e.g. \'{"latencyMs":200}\'.',
  },
];

export const SIMULATE_USAGE = helpText({
  usage: 'bosh-graphql simulate [flags]',
  about: [
    'Runs the simulated BOSH Director (seeded deployments, tasks, users; see docs/simulator.md).',
    'Every flag can also be set with the environment variable beside it; a flag beats its variable.',
  ],
  entries: SIMULATE_FLAGS.map((f) => ({
    name: `--${f.flag}${f.value ? ` ${f.value}` : ''}`,
    env: f.env,
    help: f.help,
    defaultText: f.fallback,
  })),
});

export interface SimulateConfig {
  options: SimulatorOptions & { host: string; port: number };
  caOut?: string;
}

export type ParsedSimulateArgs =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'run'; config: SimulateConfig };

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function truthy(v: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

function integer(name: string, raw: string, min: number): number | string {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min)
    return `--${name} must be an integer >= ${min}, got "${raw}"`;
  return Number(raw);
}

/** Reads flags, then environment variables, then defaults. Never throws. */
export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedSimulateArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(
          SIMULATE_FLAGS.map((f) => [f.flag, { type: f.value ? ('string' as const) : ('boolean' as const) }]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values;
  } catch (err) {
    return { kind: 'error', message: unknownFlagMessage(err) };
  }
  if (values.help) return { kind: 'help' };
  const get = (flag: string): string | undefined => {
    const v = values[flag];
    if (typeof v === 'string') return v;
    if (v === true) return 'true';
    const spec = SIMULATE_FLAGS.find((f) => f.flag === flag)!;
    return env[spec.env] || undefined;
  };

  const host = get('host') ?? '127.0.0.1';
  const http = truthy(get('http') ?? 'false');
  if (http && !isLoopback(host)) {
    return {
      kind: 'error',
      message: `--http is only allowed on loopback hosts (127.0.0.1, ::1, localhost), not "${host}"`,
    };
  }
  const auth = get('auth') ?? 'basic';
  if (auth !== 'basic' && auth !== 'uaa')
    return { kind: 'error', message: `--auth must be basic or uaa, got "${auth}"` };
  const numbers: Record<string, number> = {};
  for (const [flag, fallback, min] of [
    ['port', 25555, 0],
    ['seed', 1, 0],
    ['tick-ms', 500, 1],
    ['token-ttl', 600, 1],
    ['lock-wait-ms', 10_000, 0],
  ] as const) {
    const raw = get(flag);
    const n = raw === undefined ? fallback : integer(flag, raw, min);
    if (typeof n === 'string') return { kind: 'error', message: n };
    numbers[flag] = n;
  }
  if (numbers.port! > 65535)
    return { kind: 'error', message: `--port must be at most 65535, got ${numbers.port}` };
  let faults: Partial<FaultSettings> | undefined;
  const rawFaults = get('faults');
  if (rawFaults !== undefined) {
    try {
      faults = JSON.parse(rawFaults) as Partial<FaultSettings>;
    } catch {
      return { kind: 'error', message: `--faults must be a JSON object, got ${rawFaults}` };
    }
  }
  return {
    kind: 'run',
    config: {
      options: {
        host,
        port: numbers.port!,
        tls: !http,
        auth,
        seed: numbers.seed,
        tickMs: numbers['tick-ms'],
        tokenTtlSeconds: numbers['token-ttl'],
        lockWaitMs: numbers['lock-wait-ms'],
        faults,
      },
      caOut: get('ca-out'),
    },
  };
}

/** Starts the simulator for a parsed config, writes the CA file, prints how to use it. */
export async function launchSimulator(
  config: SimulateConfig,
  print: (line: string) => void,
): Promise<Simulator> {
  const sim = await startSimulator(config.options);
  let caPath: string | undefined;
  if (sim.caCert && config.caOut) {
    caPath = resolve(config.caOut);
    await writeFile(caPath, sim.caCert, { mode: 0o644 });
  }
  print(
    `Simulated BOSH Director listening on ${sim.url} (auth: ${sim.authMode}, seed ${config.options.seed ?? 1})`,
  );
  if (sim.caCert) {
    print(
      caPath
        ? `  CA certificate: ${caPath}`
        : '  CA certificate: not written; pass --ca-out FILE to get it for clients',
    );
  }
  print('  Users (user/password, scopes):');
  for (const u of Object.values(SEEDED_USERS))
    print(`    ${`${u.username}/${u.password}`.padEnd(28)} ${u.scopes.join(' ')}`);
  print('  Default credentials: admin/admin');
  if (sim.authMode === 'uaa')
    print(
      `  UAA token endpoint: ${sim.url}/oauth/token (clients: the users above, and bosh_cli for password grants)`,
    );
  const ca = caPath ? ` BOSH_CA_CERT=${caPath}` : '';
  if (sim.url.startsWith('https:')) {
    print(
      `  Try: BOSH_ENVIRONMENT=${sim.url}${ca} BOSH_CLIENT=admin BOSH_CLIENT_SECRET=admin bosh deployments`,
    );
    // The gateway verifies TLS too, so it needs the CA file as much as the bosh CLI does.
    print(
      caPath
        ? `  The gateway: BOSH_ENVIRONMENT=${sim.url} BOSH_CA_CERT=${caPath} BOSH_CLIENT=admin BOSH_CLIENT_SECRET=admin npm start`
        : `  The gateway: restart with --ca-out FILE, then BOSH_ENVIRONMENT=${sim.url} BOSH_CA_CERT=FILE BOSH_CLIENT=admin BOSH_CLIENT_SECRET=admin npm start`,
    );
  } else {
    // bosh-cli always speaks https to a Director: plain http is for the gateway and tests.
    print(
      `  The bosh CLI needs TLS: run without --http (and with --ca-out FILE) to use it. The gateway: BOSH_ENVIRONMENT=${sim.url} BOSH_CLIENT=admin BOSH_CLIENT_SECRET=admin npm start`,
    );
  }
  print(`  Control endpoint (faults, request log, clock): ${sim.url}/_simulator`);
  print('Press Ctrl-C to stop.');
  return sim;
}

export async function runSimulate(argv: string[]): Promise<number | undefined> {
  const parsed = parseSimulateArgs(argv);
  if (parsed.kind === 'help') {
    console.log(SIMULATE_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`bosh-graphql simulate: ${parsed.message}`);
    return 2;
  }
  let sim: Simulator;
  try {
    sim = await launchSimulator(parsed.config, (line) => console.log(line));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const { host, port } = parsed.config.options;
    console.error(
      code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL'
        ? `bosh-graphql simulate: cannot listen on ${host}:${port} (${code})`
        : `bosh-graphql simulate: could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    return 1;
  }
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('Stopping the simulated Director.');
  await sim.stop();
  return 0;
}
