/**
 * `bosh-graphql serve` as a real process: on its own (with the simulated Director it starts in
 * process) and in front of a separate `bosh-graphql simulate --http` process.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, freshPackage, graphql, httpRequest, type Package, type Running } from './harness.js';

const QUERY = '{ director { name user } deployments { name } }';
const UP = /bosh-graphql is up: GraphQL and GraphiQL at (http:\/\/\S+\/graphql)\n/;

let pkg: Package;
beforeAll(async () => {
  pkg = await freshPackage();
  if (pkg.build.code !== 0) throw new Error(`build failed:\n${pkg.build.stderr}`);
});
afterAll(() => pkg?.dispose());

describe('serve with no Director configured', () => {
  let serve: Running;
  let url: string;
  beforeAll(async () => {
    serve = pkg.start(['serve', '--port', '0']);
    url = (await serve.waitFor(UP))[1]!;
  });
  afterAll(() => serve?.stop('SIGKILL'));

  it('says it serves a simulated Director, and where GraphQL and GraphiQL are', () => {
    expect(serve.stdout).toMatch(/No Director configured .*SIMULATED BOSH Director/);
    expect(serve.stdout).toMatch(/simulated Director: http:\/\/127\.0\.0\.1:\d+ /);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
  });

  it('answers a query from the simulator as its admin, the configured client', async () => {
    const reply = await graphql(url, QUERY);
    expect(reply.errors).toBeUndefined();
    expect(reply.data.director).toEqual({ name: 'bosh-simulator', user: 'admin' });
    expect(reply.data.deployments.map((d: { name: string }) => d.name)).toContain('cf');
  });

  it('serves GraphiQL to browsers, gzipped when they accept it, with every asset inlined', async () => {
    const gzipped = await httpRequest(url, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    const plain = await httpRequest(url, { headers: { accept: 'text/html' } });
    for (const reply of [gzipped, plain]) {
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/html/);
      expect(reply.text).toContain('<title>bosh-graphql</title>');
      expect(reply.text).toContain('YogaGraphiQL.renderYogaGraphiQL');
      expect(reply.text).not.toMatch(/<(?:script|link)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\//i);
    }
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.text).toBe(plain.text);
    expect(gzipped.raw.length).toBeLessThan(plain.raw.length / 2);
  });

  it('answers /health and /metrics', async () => {
    const base = new URL(url).origin;
    expect((await httpRequest(`${base}/health`)).status).toBe(200);
    const metrics = await httpRequest(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^bosh_graphql_\w+/m);
  });

  it('stops on SIGTERM with exit code 0', async () => {
    const exit = await serve.stop('SIGTERM');
    expect(exit.signal).toBeNull();
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain('shutting down');
    expect(exit.stderr).toBe('');
  });
});

describe('serve --director in front of bosh-graphql simulate --http', () => {
  let simulate: Running;
  let serve: Running;
  let director: string;
  let url: string;
  beforeAll(async () => {
    simulate = pkg.start(['simulate', '--http', '--port', '0', '--tick-ms', '20']);
    director = (await simulate.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /))[1]!;
    // No configured client: every request must bring its own credentials.
    serve = pkg.start(['serve', '--port', '0', '--director', director]);
    url = (await serve.waitFor(UP))[1]!;
  });
  afterAll(async () => {
    await Promise.allSettled([serve?.stop('SIGKILL'), simulate?.stop('SIGKILL')]);
  });

  it('tells that the bosh CLI needs TLS, and how to point the gateway at a plain-http simulator', () => {
    expect(simulate.stdout).toMatch(/bosh CLI needs TLS/);
    expect(simulate.stdout).toContain(`BOSH_ENVIRONMENT=${director} BOSH_CLIENT=admin`);
    expect(simulate.stdout).not.toMatch(/bosh deployments/);
  });

  it('names that Director and says nothing of a simulated one', async () => {
    // Printed right after the "is up" line, maybe in a later chunk.
    expect((await serve.waitFor(/^ {2}Director: (\S+)$/m))[1]).toBe(director);
    expect(serve.stdout).not.toMatch(/simulated/i);
  });

  it("passes the caller's Basic credentials on: admin:admin reads the simulator's deployments", async () => {
    const direct = await httpRequest(`${director}/deployments`, {
      headers: { authorization: basic('admin', 'admin') },
    });
    const expected = (JSON.parse(direct.text) as { name: string }[]).map((d) => d.name);
    expect(expected.length).toBeGreaterThan(1);

    const reply = await graphql(url, QUERY, basic('admin', 'admin'));
    expect(reply.errors).toBeUndefined();
    expect(reply.data.director).toEqual({ name: 'bosh-simulator', user: 'admin' });
    expect(reply.data.deployments.map((d: { name: string }) => d.name)).toEqual(expected);

    const log = await httpRequest(`${director}/_simulator/requests?user=admin&path=/deployments`);
    expect(JSON.parse(log.text).count).toBeGreaterThanOrEqual(2);
  });

  it('answers as whoever the credentials name, and refuses a request without any', async () => {
    const reader = await graphql(url, QUERY, basic('reader', 'reader'));
    expect(reader.data.director.user).toBe('reader');

    const anonymous = await graphql(url, QUERY);
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
  });

  it('both processes stop on SIGTERM with exit code 0', async () => {
    const served = await serve.stop('SIGTERM');
    expect(served.code, served.stderr).toBe(0);
    const simulated = await simulate.stop('SIGTERM');
    expect(simulated.code, simulated.stderr).toBe(0);
    expect(simulated.stdout).toContain('Stopping the simulated Director');
  });
});

describe('serve in front of a misconfigured Director', () => {
  /** One line on stderr naming the setting; the gateway keeps serving, and /ready says 503. */
  async function misconfigured(
    args: string[],
    env: Record<string, string>,
    setting: RegExp,
    secret?: string,
  ) {
    const serve = pkg.start(['serve', '--port', '0', ...args], env);
    try {
      const url = (await serve.waitFor(UP))[1]!;
      const line = (await serve.waitForError(/^bosh-graphql: .*$/m))[0];
      expect(line).toMatch(setting);
      expect(line).toMatch(/Serving anyway/);
      expect(serve.stderr.match(/^bosh-graphql: /gm)).toHaveLength(1);
      if (secret) expect(serve.stderr + serve.stdout).not.toContain(secret);
      const base = url.replace(/\/graphql$/, '');
      expect((await httpRequest(`${base}/health`)).status).toBe(200);
      const ready = await httpRequest(`${base}/ready`);
      expect(ready.status).toBe(503);
      if (secret) expect(ready.text).not.toContain(secret);
    } finally {
      await serve.stop('SIGKILL');
    }
  }

  it('names BOSH_ENVIRONMENT when the Director cannot be reached', async () => {
    // A port nothing listens on: the simulator below is started and stopped to find one.
    const simulate = pkg.start(['simulate', '--http', '--port', '0']);
    const director = (await simulate.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /))[1]!;
    await simulate.stop('SIGTERM');
    await misconfigured(['--director', director], {}, /cannot be reached.*check BOSH_ENVIRONMENT/);
  });

  it('names BOSH_CLIENT_SECRET when the Director refuses the configured client, and never shows it', async () => {
    const simulate = pkg.start(['simulate', '--http', '--port', '0']);
    try {
      const director = (await simulate.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /))[1]!;
      await misconfigured(
        ['--director', director, '--client', 'admin'],
        { BOSH_CLIENT_SECRET: 'wrong-secret-77' },
        /refuses the gateway's configured client.*check BOSH_CLIENT_SECRET/,
        'wrong-secret-77',
      );
    } finally {
      await simulate.stop('SIGKILL');
    }
  });

  it("names BOSH_CA_CERT when the Director's certificate does not verify", async () => {
    const simulate = pkg.start(['simulate', '--port', '0']);
    try {
      const director = (await simulate.waitFor(/listening on (https:\/\/127\.0\.0\.1:\d+) /))[1]!;
      await misconfigured(['--director', director], {}, /certificate does not verify.*check BOSH_CA_CERT/);
    } finally {
      await simulate.stop('SIGKILL');
    }
  });
});

describe('serve --trusted-documents', () => {
  const document = 'query Names { deployments { name } }';
  const documentId = `sha256:${createHash('sha256').update(document).digest('hex')}`;
  let file: string;
  beforeAll(() => {
    file = join(pkg.root, 'persisted-documents.json');
    writeFileSync(file, JSON.stringify({ [documentId]: document }));
  });

  it('runs the trusted documents only, says so, and serves no GraphiQL', async () => {
    const serve = pkg.start(['serve', '--port', '0', '--trusted-documents', file]);
    try {
      const url = (await serve.waitFor(/bosh-graphql is up: GraphQL at (http:\/\/\S+\/graphql)\n/))[1]!;
      await serve.waitFor(/Trusted documents only: the 1 of .*persisted-documents\.json; .*GraphiQL is off/);
      const post = (body: unknown) =>
        httpRequest(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
      const trusted = JSON.parse((await post({ documentId })).text);
      expect(trusted.data.deployments.map((d: { name: string }) => d.name)).toContain('cf');
      const other = JSON.parse((await post({ query: document })).text);
      expect(other.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
        'PERSISTED_QUERY_ONLY',
      ]);
      const page = await httpRequest(url, { headers: { accept: 'text/html' } });
      expect(page.text).not.toContain('YogaGraphiQL');
    } finally {
      await serve.stop('SIGKILL');
    }
  });

  it('serves GraphiQL when --graphiql asks for it', async () => {
    const serve = pkg.start(['serve', '--port', '0', '--trusted-documents', file, '--graphiql']);
    try {
      const url = (await serve.waitFor(UP))[1]!;
      const page = await httpRequest(url, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.text).toContain('YogaGraphiQL');
    } finally {
      await serve.stop('SIGKILL');
    }
  });
});
