/**
 * The real `bosh-graphql` command as a child process, run from a fresh copy of the package: the
 * files a clean clone has (src, schema, bin, scripts, package.json, tsconfigs) copied into a
 * temporary directory whose path holds a space, node_modules linked, and dist/ built there by
 * `scripts/ensure-build.mjs` (what `npm start` runs first). So the tests need no prior build, never
 * touch the working tree's dist/, and exercise the same launcher users run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const COPIED = ['src', 'schema', 'bin', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a child: this one without any setting the command reads. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('BOSH_') || ['PORT', 'HOST', 'NODE_OPTIONS'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function collect(child: ChildProcess): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** A command still running: its output so far, a wait for a line, and a signal to stop it. */
export class Running {
  readonly exited: Promise<Exit>;
  private out = '';
  private err = '';
  private hasExited = false;
  private waiters: {
    pattern: RegExp;
    stream: 'out' | 'err';
    resolve: (m: RegExpMatchArray) => void;
    reject: (e: Error) => void;
  }[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.out += chunk;
      this.check();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.err += chunk;
      this.check();
    });
    this.exited = new Promise<Exit>((done, fail) => {
      child.once('error', fail);
      child.once('close', (code, signal) => {
        this.hasExited = true;
        const exit = { code, signal, stdout: this.out, stderr: this.err };
        for (const w of this.waiters.splice(0)) {
          w.reject(new Error(`exited (${code ?? signal}) before printing ${w.pattern}:\n${this.output}`));
        }
        done(exit);
      });
    });
    // Keep an unobserved early exit from counting as an unhandled rejection.
    this.exited.catch(() => undefined);
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  get output(): string {
    return `--- stdout\n${this.out}--- stderr\n${this.err}`;
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp, stream: 'out' | 'err' = 'out'): Promise<RegExpMatchArray> {
    const found = (stream === 'out' ? this.out : this.err).match(pattern);
    if (found) return Promise.resolve(found);
    if (this.hasExited)
      return Promise.reject(new Error(`exited before printing ${pattern}:\n${this.output}`));
    return new Promise((resolve, reject) => this.waiters.push({ pattern, stream, resolve, reject }));
  }

  /** As `waitFor`, on stderr. */
  waitForError(pattern: RegExp): Promise<RegExpMatchArray> {
    return this.waitFor(pattern, 'err');
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      const found = (w.stream === 'out' ? this.out : this.err).match(w.pattern);
      if (found) w.resolve(found);
      return !found;
    });
  }

  /** Sends `signal` (by this child's pid) and resolves with how it exited. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (!this.hasExited) this.child.kill(signal);
    return this.exited;
  }
}

export interface Package {
  /** The package's root: a fresh copy, built. */
  root: string;
  /** How the build went (`node scripts/ensure-build.mjs` on the fresh copy). */
  build: Exit;
  /** `node bin/bosh-graphql.js ...args` until it exits. */
  run(args: string[], env?: Record<string, string>): Promise<Exit>;
  /** `node bin/bosh-graphql.js ...args`, left running. */
  start(args: string[], env?: Record<string, string>): Running;
  /** `node scripts/ensure-build.mjs` in the copy. */
  ensureBuild(): Promise<Exit>;
  /** Stops whatever is still running and removes the copy. */
  dispose(): Promise<void>;
}

export async function freshPackage(): Promise<Package> {
  const root = mkdtempSync(join(tmpdir(), 'bosh graphql cli '));
  for (const entry of COPIED) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  const children = new Set<Running>();
  const node = (args: string[], env?: Record<string, string>) =>
    spawn(process.execPath, args, { cwd: root, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const ensureBuild = () => collect(node(['scripts/ensure-build.mjs']));
  const build = await ensureBuild();
  const start = (args: string[], env?: Record<string, string>) => {
    const running = new Running(node(['bin/bosh-graphql.js', ...args], env));
    children.add(running);
    running.exited.finally(() => children.delete(running)).catch(() => undefined);
    return running;
  };
  return {
    root,
    build,
    // Through `start`, so a command that wrongly keeps running is still stopped by `dispose`.
    run: (args, env) => start(args, env).exited,
    start,
    ensureBuild,
    async dispose() {
      await Promise.allSettled([...children].map((c) => c.stop('SIGKILL')));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still gzipped when it was). */
  raw: Buffer;
  /** The body as text, decompressed when it was gzipped. */
  text: string;
}

/** One request with exactly the given headers (Node's fetch would add and undo compression). */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const gzipped = res.headers['content-encoding'] === 'gzip';
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            raw,
            text: (gzipped ? gunzipSync(raw) : raw).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs one GraphQL operation; `authorization` is sent as given. */
export async function graphql(
  url: string,
  query: string,
  authorization?: string,
): Promise<{
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary result shapes
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  const reply = await httpRequest(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  return { status: reply.status, ...JSON.parse(reply.text) };
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
