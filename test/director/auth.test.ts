import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorClient, type DirectorClientOptions } from '../../src/director/index.js';
import {
  json,
  redirect,
  type StubDirector,
  type StubHandler,
  startStub,
  text,
} from '../helpers/stub-director.js';
import { INFO_BASIC, infoUaa } from './fixtures.js';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('credentials per caller', () => {
  let director: StubDirector;
  let uaa: StubDirector;
  let tokens: number;
  const clients: DirectorClient[] = [];
  const makeClient = (options: Partial<DirectorClientOptions> = {}) => {
    const c = new DirectorClient({ url: director.url, sleep: async () => {}, ...options });
    clients.push(c);
    return c;
  };
  const issueTokens =
    (expiresIn = 100): StubHandler =>
    (req, res) => {
      tokens++;
      json(200, {
        access_token: `tok-${tokens}`,
        token_type: 'bearer',
        expires_in: expiresIn,
        scope: 'bosh.admin',
      })(req, res);
    };

  beforeEach(async () => {
    director = await startStub();
    uaa = await startStub();
    tokens = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await director.close();
    await uaa.close();
  });

  it("forwards the caller's own Authorization as-is, Basic or bearer, without asking /info", async () => {
    director.on('GET /locks', json(200, []));
    const c = makeClient({ client: 'admin', clientSecret: 'configured' });
    await c.forCaller(basic('alice', 'pw')).listLocks();
    await c.forCaller('bearer eyJhbGciOi.x.y').listLocks();
    expect(director.requests.map((r) => r.headers.authorization)).toEqual([
      basic('alice', 'pw'),
      'bearer eyJhbGciOi.x.y',
    ]);
    expect(director.calls('GET /info')).toHaveLength(0);
  });

  it('sends no Authorization at all when neither the caller nor the configuration has credentials', async () => {
    director.on('GET /locks', text(401, "Not authorized: '/locks'\n"));
    await expect(makeClient().forCaller(undefined).listLocks()).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(director.requests[0]?.headers.authorization).toBeUndefined();
    expect(director.requests).toHaveLength(1);
  });

  it('acts as the configured client with Basic credentials on a basic-auth Director, asking /info once', async () => {
    director.on('GET /info', json(200, INFO_BASIC, { 'content-type': 'application/json' }));
    director.on('GET /locks', json(200, []));
    const c = makeClient({ client: 'admin', clientSecret: 'sekrit' });
    await c.forCaller(undefined).listLocks();
    await c.forCaller('').listLocks();
    await c.forCaller(undefined).listLocks();
    expect(director.calls('GET /info')).toHaveLength(1);
    expect(director.calls('GET /info')[0]?.headers.authorization).toBeUndefined();
    expect(director.calls('GET /locks').map((r) => r.headers.authorization)).toEqual(
      Array(3).fill(basic('admin', 'sekrit')),
    );
  });

  it('asks /info again after a failed lookup instead of remembering the failure', async () => {
    director.on('GET /info', text(500, ''), json(200, INFO_BASIC));
    director.on('GET /locks', json(200, []));
    const c = makeClient({ client: 'admin', clientSecret: 'sekrit', retry: { retries: 0 } });
    await expect(c.forCaller(undefined).listLocks()).rejects.toMatchObject({ code: 'DIRECTOR_ERROR' });
    await expect(c.forCaller(undefined).listLocks()).resolves.toEqual([]);
    expect(director.calls('GET /info')).toHaveLength(2);
  });

  it('exchanges the configured client for a UAA token (client_credentials, form-encoded, Basic client auth)', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on('GET /locks', json(200, []));
    uaa.on('POST /oauth/token', issueTokens());
    await makeClient({ client: 'ci', clientSecret: 'ci-secret' }).forCaller(undefined).listLocks();

    const exchange = uaa.requests[0];
    expect(exchange?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(exchange?.body).get('grant_type')).toBe('client_credentials');
    expect(exchange?.headers.authorization).toBe(basic('ci', 'ci-secret'));
    expect(exchange?.body).not.toContain('ci-secret');
    expect(director.calls('GET /locks')[0]?.headers.authorization).toBe('bearer tok-1');
  });

  it('reuses one token across calls and fetches it once for concurrent calls', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on('GET /locks', json(200, []));
    uaa.on('POST /oauth/token', issueTokens());
    const c = makeClient({ client: 'ci', clientSecret: 'ci-secret' });
    await Promise.all(Array.from({ length: 5 }, () => c.forCaller(undefined).listLocks()));
    await c.forCaller(undefined).listLocks();
    expect(uaa.requests).toHaveLength(1);
    expect(new Set(director.calls('GET /locks').map((r) => r.headers.authorization))).toEqual(
      new Set(['bearer tok-1']),
    );
  });

  it.each([
    // lifetime s, early margin s: the smaller of 30 s and 10 % of the lifetime
    [100, 10],
    [3600, 30],
  ])('renews a token of %i s about %i s before it expires', async (lifetime, early) => {
    let now = 1_000_000;
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on('GET /locks', json(200, []));
    uaa.on('POST /oauth/token', issueTokens(lifetime));
    const api = makeClient({ client: 'ci', clientSecret: 'ci-secret', now: () => now }).forCaller(undefined);
    const start = now;
    await api.listLocks();
    now = start + (lifetime - early - 1) * 1000;
    await api.listLocks();
    now = start + (lifetime - early + 1) * 1000;
    await api.listLocks();
    expect(director.calls('GET /locks').map((r) => r.headers.authorization)).toEqual([
      'bearer tok-1',
      'bearer tok-1',
      'bearer tok-2',
    ]);
  });

  it('refreshes the token once and retries when the Director answers its token with a plain 401', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on(
      'POST /deployments',
      text(401, "Not authorized: '/deployments'\n"),
      redirect(302, 'https://external.invalid:25555/tasks/8'),
    );
    uaa.on('POST /oauth/token', issueTokens());
    const id = await makeClient({ client: 'ci', clientSecret: 'ci-secret' })
      .forCaller(undefined)
      .deploy('name: cf\n');
    expect(id).toBe(8);
    expect(director.calls('POST /deployments').map((r) => r.headers.authorization)).toEqual([
      'bearer tok-1',
      'bearer tok-2',
    ]);
    expect(director.calls('POST /deployments').map((r) => r.body)).toEqual(['name: cf\n', 'name: cf\n']);
  });

  it('retries only once when the fresh token is refused too', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on('GET /locks', text(401, 'Not authorized'));
    uaa.on('POST /oauth/token', issueTokens());
    await expect(
      makeClient({ client: 'ci', clientSecret: 'ci-secret' }).forCaller(undefined).listLocks(),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(director.calls('GET /locks')).toHaveLength(2);
    expect(uaa.requests).toHaveLength(2);
  });

  it('does not refresh on a 401 that means forbidden (JSON 600000)', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on(
      'GET /locks',
      json(401, { code: 600000, description: 'Require one of the scopes: bosh.admin' }),
    );
    uaa.on('POST /oauth/token', issueTokens());
    await expect(
      makeClient({ client: 'ci', clientSecret: 'ci-secret' }).forCaller(undefined).listLocks(),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(director.calls('GET /locks')).toHaveLength(1);
    expect(uaa.requests).toHaveLength(1);
  });

  it("never retries a 401 to the caller's own credentials", async () => {
    director.on('GET /locks', text(401, 'Not authorized'));
    await expect(
      makeClient({ client: 'ci', clientSecret: 's' }).forCaller('bearer expired').listLocks(),
    ).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(director.requests).toHaveLength(1);
  });

  it('reports refused client credentials at UAA as UNAUTHENTICATED without the secret', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    uaa.on('POST /oauth/token', json(401, { error: 'unauthorized', error_description: 'Bad credentials' }));
    const error = (await makeClient({ client: 'ci', clientSecret: 'ci-secret' })
      .forCaller(undefined)
      .listLocks()
      .catch((e: unknown) => e)) as Error & { route?: string };
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', route: 'POST /oauth/token' });
    expect(error.message).not.toContain('ci-secret');
    expect(director.calls('GET /locks')).toHaveLength(0);
  });

  it('refuses to send client credentials to a UAA over plain http on another host', async () => {
    director.on('GET /info', json(200, infoUaa('http://uaa.example.com:8443')));
    await expect(
      makeClient({ client: 'ci', clientSecret: 'ci-secret' }).forCaller(undefined).listLocks(),
    ).rejects.toMatchObject({ code: 'BAD_RESPONSE', route: 'GET /info' });
    expect(uaa.requests).toHaveLength(0);
  });

  it('refuses a caller header that could split the request, sending nothing', async () => {
    await expect(makeClient().forCaller('Basic abc\r\nX-Evil: 1').listLocks()).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(director.requests).toHaveLength(0);
  });

  it("never lets two concurrent callers see each other's credentials", async () => {
    director.on('GET /info', json(200, INFO_BASIC));
    const alice = basic('alice', 'alice-pw');
    const bob = 'bearer bob-token';
    for (let i = 0; i < 10; i++) {
      director.on(`GET /deployments/a${i}`, json(200, { manifest: null }));
      director.on(`GET /deployments/b${i}`, json(200, { manifest: null }));
      director.on(`GET /deployments/c${i}`, json(200, { manifest: null }));
    }
    const c = makeClient({ client: 'gateway', clientSecret: 'gw-secret', maxConcurrency: 4 });
    const apis = { a: c.forCaller(alice), b: c.forCaller(bob), c: c.forCaller(undefined) };
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => [
        apis.a.getDeploymentManifest(`a${i}`),
        apis.b.getDeploymentManifest(`b${i}`),
        apis.c.getDeploymentManifest(`c${i}`),
      ]).flat(),
    );
    const expected = { a: alice, b: bob, c: basic('gateway', 'gw-secret') };
    const seen = director.requests.filter((r) => r.path.startsWith('/deployments/'));
    expect(seen).toHaveLength(30);
    for (const r of seen) {
      const who = r.path.charAt('/deployments/'.length) as keyof typeof expected;
      expect(r.headers.authorization).toBe(expected[who]);
    }
  });
});
