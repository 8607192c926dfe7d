/**
 * Failures through the one error boundary (yoga's maskError): each kind of Director failure gets
 * its stable `extensions.code`, the Director's own error code when it sent one, and nothing that
 * could help an attacker (credentials, tokens, the Director's address) ever reaches a client.
 */
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { DirectorApi } from '../../src/director/api.js';
import { DIRECTOR_DEFAULTS } from '../../src/director/defaults.js';
import { createSchema } from '../../src/graphql/schema.js';
import { createGatewayRuntime } from '../../src/server/start.js';
import { createGatewayYoga } from '../../src/server/yoga.js';
import { startSimulator } from '../../src/simulator/index.js';
import { TokenIssuer } from '../../src/simulator/uaa.js';
import { TaskStreams } from '../../src/stream/task-streams.js';
import { fileGateway } from '../helpers/file-gateway.js';
import { type GraphQLReply, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { basic, codes, manifest, rawGraphql } from './support.js';

/** Every reply an error test produced, checked at the end for leaked secrets. */
const replies: { gateway: TestGateway | { url: string }; reply: GraphQLReply }[] = [];

const gw = fileGateway();

async function ask(query: string, user: string | null = 'admin', variables?: Record<string, unknown>) {
  const reply = await gw.graphql(query, variables, user);
  replies.push({ gateway: gw, reply });
  return reply;
}

describe('UNAUTHENTICATED', () => {
  it('is the answer to a wrong password, with HTTP status 401 when it is the only error', async () => {
    const reply = await rawGraphql(gw, '{ deployments { name } }', {
      authorization: basic('admin', 'wrong'),
    });
    replies.push({ gateway: gw, reply });
    expect(codes(reply)).toEqual(['UNAUTHENTICATED']);
    expect(reply.status).toBe(401);
    expect(reply.data).toBeNull();
  });

  it('is the answer to an unknown bearer token', async () => {
    const reply = await rawGraphql(gw, '{ releases { name } }', { authorization: 'bearer not-a-real-token' });
    replies.push({ gateway: gw, reply });
    expect(codes(reply)).toEqual(['UNAUTHENTICATED']);
    expect(reply.status).toBe(401);
  });

  describe('on a gateway without a configured client', () => {
    let anonymous: TestGateway;
    beforeAll(async () => {
      anonymous = await startTestGateway({ configuredClient: false });
    });
    afterAll(() => anonymous.close());

    it('is the answer to a request without credentials, with HTTP status 401', async () => {
      const reply = await anonymous.graphql('{ deployments { name } }', undefined, null);
      replies.push({ gateway: anonymous, reply });
      expect(codes(reply)).toEqual(['UNAUTHENTICATED']);
      expect(reply.status).toBe(401);
      expect(anonymous.sim.requests.list().map((r) => [r.path, r.user, r.status])).toEqual([
        ['/deployments', '-', 401],
      ]);
    });

    it('still answers what the Director shows anonymously (/info), with 200', async () => {
      const reply = await anonymous.graphql('{ director { name user } }', undefined, null);
      expect(reply.errors).toBeUndefined();
      expect(reply.status).toBe(200);
      expect(reply.data.director.user).toBeNull();
    });

    it('uses the caller own credentials when they are sent', async () => {
      const reply = await anonymous.graphql(
        '{ director { user } deployments { name } }',
        undefined,
        'reader',
      );
      expect(reply.errors).toBeUndefined();
      expect(reply.data.director.user).toBe('reader');
    });
  });
});

describe('FORBIDDEN', () => {
  it('is the answer when a team admin cancels a task (director admins only), with code 600000', async () => {
    const running = gw.sim.tasks.startDeploy(manifest('forbidden-cancel'));
    const reply = await ask(`mutation { cancelTask(id: "${running}") { id } }`, 'alpha-admin');
    expect(codes(reply)).toEqual(['FORBIDDEN']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(600000);
    // The Director's 401 for a refusal is not "unauthenticated": the HTTP status stays 200.
    expect(reply.status).toBe(200);
    expect(gw.calls()).toEqual([`DELETE /task/${running}`]);
    await gw.sim.tasks.wait(running);
  });

  it('is the answer when a reader deploys', async () => {
    const reply = await ask('mutation($m: String!) { deploy(manifest: $m) { id } }', 'reader', {
      m: manifest('reader-deploy'),
    });
    expect(codes(reply)).toEqual(['FORBIDDEN']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(600000);
    expect(gw.sim.deployments.names()).not.toContain('reader-deploy');
  });

  it('is the answer when a reader reads a debug log, leaving the rest of the task', async () => {
    const id = gw.sim.tasks.list().find((t) => t.deployment === 'redis')!.id;
    const reply = await ask(`{ task(id: "${id}") { id state debugOutput } }`, 'reader');
    expect(codes(reply)).toEqual(['FORBIDDEN']);
    expect(reply.errors![0]!.path).toEqual(['task', 'debugOutput']);
    expect(reply.data.task).toMatchObject({ id: String(id), debugOutput: null });
  });
});

describe('NOT_FOUND', () => {
  it('is the answer for a deployment the Director does not have, with code 70000', async () => {
    const reply = await ask('mutation { deleteDeployment(name: "ghost") { id } }');
    expect(codes(reply)).toEqual(['NOT_FOUND']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(70000);
  });
});

describe('BAD_USER_INPUT', () => {
  it('is the answer to a name that cannot be a path segment, before any Director call', async () => {
    const reply = await ask('mutation { deleteDeployment(name: "..") { id } }');
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(gw.calls()).toEqual([]);
  });
});

describe('DIRECTOR_ERROR', () => {
  it('is the answer to a 500 on a GET, which is not retried', async () => {
    gw.sim.faults.set({ errorNext: 1, errorStatus: 500, pathPrefix: '/releases' });
    const reply = await ask('{ releases { name } }');
    expect(codes(reply)).toEqual(['DIRECTOR_ERROR']);
    expect(reply.errors![0]!.path).toEqual(['releases']);
    expect(gw.calls()).toEqual(['GET /releases']);
  });

  it('is the answer to a 503 on a POST, which is never retried (it would start a second task)', async () => {
    gw.sim.faults.set({ errorNext: 1, errorStatus: 503, method: 'POST' });
    const reply = await ask('mutation($m: String!) { deploy(manifest: $m) { id } }', 'admin', {
      m: manifest('not-twice'),
    });
    expect(codes(reply)).toEqual(['DIRECTOR_ERROR']);
    expect(gw.calls()).toEqual(['POST /deployments']);
    expect(gw.sim.deployments.names()).not.toContain('not-twice');
  });

  it('is the answer once the retries of a GET answered 503 are used up', async () => {
    gw.sim.faults.set({ errorNext: 100, errorStatus: 503, pathPrefix: '/stemcells' });
    const reply = await ask('{ stemcells { name } }');
    expect(codes(reply)).toEqual(['DIRECTOR_ERROR']);
    expect(gw.calls()).toEqual(Array(1 + DIRECTOR_DEFAULTS.retries).fill('GET /stemcells'));
  });

  it('is not an answer at all when a retry of the GET succeeds', async () => {
    gw.sim.faults.set({ errorNext: 2, errorStatus: 503, pathPrefix: '/stemcells' });
    const reply = await ask('{ stemcells { name } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.stemcells.length).toBeGreaterThan(0);
    expect(gw.calls()).toEqual(['GET /stemcells', 'GET /stemcells', 'GET /stemcells']);
  });

  it('stays on the fields that failed: VM details fail, the VMs are still listed', async () => {
    // The vms task is started, but reading it back fails: every VM's details is null with an error.
    gw.sim.faults.set({ errorNext: 100, errorStatus: 500, pathPrefix: '/tasks/' });
    const reply = await ask('{ deployment(name: "redis") { name vms { cid details { jobState } } } }');
    const vms = reply.data.deployment.vms;
    expect(vms.length).toBeGreaterThan(0);
    for (const vm of vms) expect(vm.details).toBeNull();
    expect(new Set(codes(reply))).toEqual(new Set(['DIRECTOR_ERROR']));
    expect(reply.errors!.map((e) => e.path)).toEqual(
      vms.map((_: unknown, i: number) => ['deployment', 'vms', i, 'details']),
    );
  });
});

describe('DIRECTOR_UNAVAILABLE', () => {
  it('is the answer when every attempt of a GET has its connection reset', async () => {
    gw.sim.faults.set({ resetNext: 100, pathPrefix: '/releases' });
    const reply = await ask('{ releases { name } }');
    expect(codes(reply)).toEqual(['DIRECTOR_UNAVAILABLE']);
    expect(gw.calls()).toEqual(Array(1 + DIRECTOR_DEFAULTS.retries).fill('GET /releases'));
  });

  it('is the answer when the Director is gone', async () => {
    const gone = await startTestGateway();
    await gone.sim.stop();
    const reply = await gone.graphql('{ deployments { name } }');
    replies.push({ gateway: gone, reply });
    expect(codes(reply)).toEqual(['DIRECTOR_UNAVAILABLE']);
    expect(reply.status).toBe(200);
    await gone.close();
  });
});

describe('DIRECTOR_TIMEOUT', () => {
  it('is the answer when the Director does not answer within the headers timeout', async () => {
    const sim = await startSimulator({ tickMs: 20, faults: { latencyMs: 5_000, pathPrefix: '/releases' } });
    const runtime = createGatewayRuntime({
      director: { url: sim.url, client: 'admin', clientSecret: 'admin', timeouts: { headersMs: 100 } },
      graphiql: false,
    });
    try {
      const response = await runtime.gateway.yoga.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: sim.basicAuth('admin') },
        body: JSON.stringify({ query: '{ releases { name } }' }),
      });
      const reply = { status: response.status, ...((await response.json()) as Omit<GraphQLReply, 'status'>) };
      replies.push({ gateway: { url: sim.url }, reply });
      expect(codes(reply)).toEqual(['DIRECTOR_TIMEOUT']);
      expect(sim.requests.count({ path: '/releases' })).toBe(1);
    } finally {
      await runtime.close();
      await sim.stop();
    }
  });
});

describe('unexpected errors', () => {
  it('are masked as INTERNAL_SERVER_ERROR, without their message', async () => {
    const secret = 'TypeError at http://10.0.0.6:25555 with admin:admin';
    const failing = new Proxy({} as DirectorApi, {
      get: () => () => Promise.reject(new TypeError(secret)),
    });
    const streams = new TaskStreams();
    const yoga = createGatewayYoga({
      schema: createSchema(),
      director: { forCaller: () => failing },
      graphiql: false,
      streams,
    });
    try {
      const response = await yoga.fetch('http://gateway/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ releases { name } }' }),
      });
      const text = await response.text();
      const reply = JSON.parse(text) as GraphQLReply;
      expect(codes(reply)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(reply.errors![0]!.path).toEqual(['releases']);
      expect(text).not.toContain('TypeError');
      expect(text).not.toContain('10.0.0.6');
      expect(text).not.toContain('admin:admin');
    } finally {
      streams.close();
    }
  });
});

describe('in UAA mode', () => {
  let uaa: TestGateway;
  /** Every token the simulated UAA issued, with what it was issued for. */
  let mint: MockInstance<TokenIssuer['mint']>;
  /** A team admin's token, minted once and sent as is, so the token checked is the token sent. */
  let alphaAdmin: string;
  beforeAll(async () => {
    mint = vi.spyOn(TokenIssuer.prototype, 'mint');
    uaa = await startTestGateway({ simulator: { auth: 'uaa' } });
    alphaAdmin = await uaa.auth('alpha-admin');
  });
  afterAll(async () => {
    mint.mockRestore();
    await uaa.close();
  });

  const askUaa = async (query: string, authorization?: string) => {
    const reply = authorization
      ? await rawGraphql(uaa, query, { authorization })
      : await uaa.graphql(query, undefined, null);
    replies.push({ gateway: uaa, reply });
    return reply;
  };

  it('a refusal is FORBIDDEN and an unknown token UNAUTHENTICATED, as with basic auth', async () => {
    const running = uaa.sim.tasks.startDeploy(manifest('uaa-cancel'));
    const forbidden = await askUaa(`mutation { cancelTask(id: "${running}") { id } }`, alphaAdmin);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);

    const expired = await askUaa('{ deployments { name } }', 'bearer a.b.c');
    expect(codes(expired)).toEqual(['UNAUTHENTICATED']);
    expect(expired.status).toBe(401);

    const configured = await askUaa('{ deployments { name } }');
    expect(configured.errors).toBeUndefined();
    await uaa.sim.tasks.wait(running);
  });

  it("fails requests made with the configured client's token like any other", async () => {
    const done = uaa.sim.tasks.startDeploy(manifest('uaa-done'));
    await uaa.sim.tasks.wait(done);
    // The Director's own refusal text reaches the client here.
    const refused = await askUaa(`mutation { cancelTask(id: "${done}") { id } }`);
    expect(codes(refused)).toEqual(['TASK_NOT_CANCELLABLE']);
    uaa.sim.faults.set({ pathPrefix: '/deployments', errorNext: 1, errorStatus: 500 });
    try {
      expect(codes(await askUaa('{ deployments { name } }'))).toEqual(['DIRECTOR_ERROR']);
    } finally {
      uaa.sim.faults.clear();
    }
  });

  it("never shows a token in an error: not the one sent, not the configured client's", async () => {
    const issued = mint.mock.calls.map(([grant], i) => ({
      grant,
      token: String((mint.mock.results[i]?.value as { access_token?: string } | undefined)?.access_token),
    }));
    const sent = alphaAdmin.slice('bearer '.length);
    expect(issued.map((t) => t.token)).toContain(sent);
    // The configured client exchanged its secret for a token of its own (client credentials).
    const configured = issued.filter(
      (t) => t.grant.grantType === 'client_credentials' && t.grant.clientId === uaa.sim.users.admin!.username,
    );
    expect(configured.length).toBeGreaterThan(0);

    const failed = replies.filter((r) => r.gateway === uaa && (r.reply.errors?.length ?? 0) > 0);
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const { reply } of failed) {
      const text = JSON.stringify(reply);
      for (const { token } of issued) {
        expect(text).not.toContain(token);
        // Nor any part of it: messages are cut at 500 characters, so a leak may be a fragment.
        for (const part of token.split('.')) expect(text).not.toContain(part.slice(0, 24));
      }
      expect(text.toLowerCase()).not.toContain('bearer');
    }
  });
});

describe('no error', () => {
  it('ever carries credentials or the Director address (checked on every reply of this file)', () => {
    const failed = replies.filter(({ reply }) => (reply.errors?.length ?? 0) > 0);
    expect(failed.length).toBeGreaterThan(10);
    const secrets = [
      'admin:admin',
      'admin:wrong',
      Buffer.from('admin:admin').toString('base64'),
      Buffer.from('admin:wrong').toString('base64'),
      Buffer.from('alpha-admin:alpha-admin').toString('base64'),
      Buffer.from('reader:reader').toString('base64'),
      'not-a-real-token',
      'Basic ',
      '127.0.0.1',
      'localhost',
    ];
    for (const { gateway, reply } of failed) {
      const text = JSON.stringify(reply);
      const url = 'sim' in gateway ? gateway.sim.url : gateway.url;
      for (const secret of [...secrets, url, `:${new URL(url).port}`]) {
        expect(text, `a reply contains ${secret}`).not.toContain(secret);
      }
    }
  });
});
