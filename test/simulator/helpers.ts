/** Shared helpers for the simulator's tests: a raw HTTP client and a manual-clock simulator. */

import http from 'node:http';
import { afterEach, beforeEach } from 'vitest';
import {
  ManualClock,
  type SimTask,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.js';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  json(): any;
}

export interface RequestOptions {
  /** A full Authorization header value; see `as()`. */
  auth?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One request on its own connection, with the path sent exactly as given (no URL normalisation,
 * so encoded segments and dot segments reach the server untouched).
 */
export function request(
  base: string,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<Reply> {
  const url = new URL(base);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth) headers.authorization = opts.auth;
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export interface TestSim {
  sim: Simulator;
  clock: ManualClock;
  /** GET/POST/... as a seeded user (basic auth), `null` for no credentials. */
  call(method: string, path: string, user?: string | null, opts?: RequestOptions): Promise<Reply>;
  get(path: string, user?: string | null, opts?: RequestOptions): Promise<Reply>;
  /** Advances the clock until the task is finished (done, error, cancelled). */
  finish(id: number): Promise<SimTask>;
}

const TERMINAL = new Set(['done', 'error', 'cancelled', 'timeout']);

export async function manualSim(options: SimulatorOptions = {}): Promise<TestSim> {
  const clock = new ManualClock();
  const sim = await startSimulator({ clock, ...options });
  const call = (method: string, path: string, user: string | null = 'admin', opts: RequestOptions = {}) =>
    request(sim.url, method, path, { auth: user === null ? undefined : sim.basicAuth(user), ...opts });
  return {
    sim,
    clock,
    call,
    get: (path, user = 'admin', opts = {}) => call('GET', path, user, opts),
    finish: async (id) => {
      for (let i = 0; i < 10_000; i++) {
        const t = sim.tasks.get(id);
        if (t && TERMINAL.has(t.state)) return t;
        await clock.advance(500);
      }
      throw new Error(`task ${id} did not finish`);
    },
  };
}

/** The task id from a 302 Location. */
export function taskIdFrom(reply: Reply): number {
  const location = String(reply.headers.location ?? '');
  const m = /\/tasks\/(\d+)$/.exec(location);
  if (!m) throw new Error(`no task redirect: ${reply.status} ${location} ${reply.text}`);
  return Number(m[1]);
}

export const DEMO_MANIFEST = `---
name: demo
releases:
- name: sim-app
  version: latest
stemcells:
- alias: default
  os: ubuntu-jammy
  version: latest
update:
  canaries: 1
  max_in_flight: 2
instance_groups:
- name: web
  instances: 3
  azs: [z1, z2]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - name: app
    release: sim-app
`;

export function demoManifest(edit: (text: string) => string = (t) => t): string {
  return edit(DEMO_MANIFEST);
}

/** Event records of a task, parsed. */
// biome-ignore lint/suspicious/noExplicitAny: event records are loosely shaped JSON
export function events(sim: Simulator, id: number): any[] {
  return sim.tasks.events(id);
}

/**
 * A fresh manual-clock simulator for every test of the calling file, stopped after each test.
 * The object returned stands for the current test's simulator (`t.sim`, `t.get(...)`, …).
 */
export function eachManualSim(options: SimulatorOptions = {}): TestSim {
  let current: TestSim | undefined;
  beforeEach(async () => {
    current = await manualSim(options);
  });
  afterEach(async () => {
    await current?.sim.stop();
    current = undefined;
  });
  return new Proxy({} as TestSim, {
    get(_target, key) {
      if (!current) throw new Error('eachManualSim: used outside a test');
      return current[key as keyof TestSim];
    },
  });
}
