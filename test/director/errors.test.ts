import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DirectorBadRequestError,
  DirectorClient,
  type DirectorClientOptions,
  type DirectorError,
  DirectorForbiddenError,
  DirectorNotFoundError,
  DirectorServerError,
  DirectorUnauthenticatedError,
  isDirectorError,
} from '../../src/director/index.js';
import { hang, json, reset, type StubDirector, startStub, text } from '../helpers/stub-director.js';

const AUTH = 'Basic YWRtaW46czNjcjN0LXBhc3M='; // admin:s3cr3t-pass

describe('errors as data', () => {
  let stub: StubDirector;
  const clients: DirectorClient[] = [];
  const makeClient = (options: Partial<DirectorClientOptions> = {}) => {
    const c = new DirectorClient({ url: stub.url, sleep: async () => {}, ...options });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    stub = await startStub();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await stub.close();
  });

  it('maps a 401 with a plain-text body to UNAUTHENTICATED', async () => {
    stub.on('GET /deployments', text(401, "Not authorized: '/deployments'\n"));
    const error = await makeClient()
      .forCaller(AUTH)
      .listDeployments()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorUnauthenticatedError);
    expect(error).toMatchObject({
      code: 'UNAUTHENTICATED',
      status: 401,
      directorCode: undefined,
      route: 'GET /deployments',
    });
  });

  it('maps a 401 with JSON code 600000 to FORBIDDEN and keeps the description', async () => {
    const description = 'Require one of the scopes: bosh.admin, bosh.read';
    stub.on('GET /deployments/cf', json(401, { code: 600000, description }));
    const error = await makeClient()
      .forCaller(AUTH)
      .getDeploymentManifest('cf')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorForbiddenError);
    expect(error).toMatchObject({
      code: 'FORBIDDEN',
      status: 401,
      directorCode: 600000,
      message: description,
      route: 'GET /deployments/:name',
    });
  });

  it('maps a 403 to FORBIDDEN as well', async () => {
    stub.on('GET /locks', text(403, 'Forbidden'));
    await expect(makeClient().forCaller(AUTH).listLocks()).rejects.toMatchObject({
      code: 'FORBIDDEN',
      status: 403,
    });
  });

  it.each([
    ['GET /deployments/gone', { code: 70000, description: "Deployment 'gone' doesn't exist" }, 70000],
    ['GET /tasks/404', { code: 10000, description: 'Task 404 not found' }, 10000],
  ])('maps %s answered 404 with its Director code to NOT_FOUND', async (route, body, directorCode) => {
    stub.on(route, json(404, body));
    const api = makeClient().forCaller(AUTH);
    const call = route.includes('tasks') ? api.getTask(404) : api.getDeploymentManifest('gone');
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorNotFoundError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404, directorCode, message: body.description });
  });

  it("maps the plain-text 404 `Endpoint '...' not found.` to NOT_FOUND", async () => {
    const error = await makeClient()
      .forCaller(AUTH)
      .listStemcells()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      directorCode: undefined,
      message: "Endpoint '/stemcells' not found.",
    });
  });

  it('maps the plain-text cancel refusal to BAD_REQUEST with its text as the message', async () => {
    stub.on('DELETE /task/9', text(400, 'Cannot cancel task 9: invalid state (done)'));
    const error = await makeClient()
      .forCaller(AUTH)
      .cancelTask(9)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorBadRequestError);
    expect(error).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
      message: 'Cannot cancel task 9: invalid state (done)',
      route: 'DELETE /task/:id',
    });
  });

  it('maps a JSON 400 to BAD_REQUEST with the Director code', async () => {
    stub.on('POST /deployments', json(400, { code: 440001, description: 'Manifest should not be empty' }));
    await expect(makeClient().forCaller(AUTH).deploy('')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      directorCode: 440001,
      message: 'Manifest should not be empty',
    });
  });

  it('maps a 500 with an empty body to DIRECTOR_ERROR', async () => {
    stub.on('GET /releases', text(500, ''));
    const error = await makeClient()
      .forCaller(AUTH)
      .listReleases()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorServerError);
    expect(error).toMatchObject({ code: 'DIRECTOR_ERROR', status: 500, route: 'GET /releases' });
  });

  it('maps a 503 that outlasts the retries to DIRECTOR_ERROR', async () => {
    stub.on('GET /releases', text(503, 'busy'));
    await expect(
      makeClient({ retry: { retries: 0 } })
        .forCaller(AUTH)
        .listReleases(),
    ).rejects.toMatchObject({
      code: 'DIRECTOR_ERROR',
      status: 503,
    });
  });

  it('maps a refused connection to DIRECTOR_UNAVAILABLE', async () => {
    const closed = await startStub();
    const url = closed.url;
    await closed.close();
    const c = new DirectorClient({ url, sleep: async () => {}, retry: { retries: 0 } });
    clients.push(c);
    const error = await c
      .forCaller(AUTH)
      .info()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DIRECTOR_UNAVAILABLE', status: undefined, route: 'GET /info' });
  });

  it('maps a reset connection to DIRECTOR_UNAVAILABLE', async () => {
    stub.on('POST /deployments', reset());
    await expect(makeClient().forCaller(AUTH).deploy('name: cf\n')).rejects.toMatchObject({
      code: 'DIRECTOR_UNAVAILABLE',
    });
  });

  it('maps a Director that never answers to DIRECTOR_TIMEOUT (headers)', async () => {
    stub.on('GET /info', hang());
    await expect(
      makeClient({ timeouts: { headersMs: 50 } })
        .forCaller(AUTH)
        .info(),
    ).rejects.toMatchObject({
      code: 'DIRECTOR_TIMEOUT',
      phase: 'headers',
    });
  });

  it('maps a body that stalls halfway to DIRECTOR_TIMEOUT (body)', async () => {
    stub.on('GET /deployments', (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('[{"name":');
    });
    await expect(
      makeClient({ timeouts: { bodyMs: 50 } })
        .forCaller(AUTH)
        .listDeployments(),
    ).rejects.toMatchObject({
      code: 'DIRECTOR_TIMEOUT',
      phase: 'body',
    });
  });

  describe('with a server that accepts TCP but never shakes hands', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeEach(async () => {
      silent = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('maps a TLS handshake that never completes to DIRECTOR_TIMEOUT (connect)', async () => {
      const port = (silent.address() as { port: number }).port;
      const c = new DirectorClient({
        url: `127.0.0.1:${port}`,
        timeouts: { connectMs: 50 },
        sleep: async () => {},
      });
      clients.push(c);
      await expect(c.forCaller(AUTH).info()).rejects.toMatchObject({
        code: 'DIRECTOR_TIMEOUT',
        phase: 'connect',
      });
    });
  });

  it.each([
    ['an HTML page', text(200, '<html><body>Welcome</body></html>')],
    ['an object where a list belongs', json(200, { deployments: [] })],
    ['a list of things without names', json(200, [{ id: 1 }])],
  ])('calls %s on GET /deployments a bad response', async (_what, handler) => {
    stub.on('GET /deployments', handler);
    await expect(makeClient().forCaller(AUTH).listDeployments()).rejects.toMatchObject({
      code: 'BAD_RESPONSE',
      route: 'GET /deployments',
    });
  });

  it('calls a task without an id a bad response', async () => {
    stub.on('GET /tasks/1', json(200, { state: 'done' }));
    await expect(makeClient().forCaller(AUTH).getTask(1)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('keeps credentials out of messages even when the Director echoes them', async () => {
    stub.on('GET /locks', json(400, { code: 1, description: `bad header ${AUTH}, user admin:s3cr3t-pass` }));
    const error = (await makeClient()
      .forCaller(AUTH)
      .listLocks()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('YWRtaW46czNjcjN0LXBhc3M=');
    expect(error.message).not.toContain('s3cr3t-pass');
    expect(error.message).toContain('[redacted]');
  });

  it('names routes as templates, never with the host or the request values', async () => {
    stub.on('GET /deployments/secret-name/vms', text(500, ''));
    const error = (await makeClient()
      .forCaller(AUTH)
      .listVms('secret-name')
      .catch((e: unknown) => e)) as DirectorError;
    expect(error.route).toBe('GET /deployments/:name/vms');
    expect(error.message).not.toContain('127.0.0.1');
  });

  it('recognises its errors with isDirectorError, optionally by code', async () => {
    stub.on('GET /locks', text(401, 'Not authorized'));
    const error = await makeClient()
      .forCaller(AUTH)
      .listLocks()
      .catch((e: unknown) => e);
    expect(isDirectorError(error)).toBe(true);
    expect(isDirectorError(error, 'UNAUTHENTICATED')).toBe(true);
    expect(isDirectorError(error, 'FORBIDDEN')).toBe(false);
    expect(isDirectorError(new Error('plain'))).toBe(false);
    expect(isDirectorError({ code: 'UNAUTHENTICATED' })).toBe(false);
  });

  it('reports each attempt to onRequest with the route template and status, never credentials', async () => {
    const events: unknown[] = [];
    stub.on('GET /deployments/cf', json(200, { manifest: null }));
    stub.on('GET /locks', text(503, ''), json(200, []));
    const c = makeClient({ onRequest: (e) => events.push(e) });
    await c.forCaller(AUTH).getDeploymentManifest('cf');
    await c.forCaller(AUTH).listLocks();
    expect(events).toMatchObject([
      { method: 'GET', route: 'GET /deployments/:name', status: 200, attempt: 1 },
      { method: 'GET', route: 'GET /locks', status: 503, attempt: 1 },
      { method: 'GET', route: 'GET /locks', status: 200, attempt: 2 },
    ]);
    expect(events.every((e) => typeof (e as { durationMs: unknown }).durationMs === 'number')).toBe(true);
    expect(JSON.stringify(events)).not.toContain(AUTH.slice(6));
  });
});
