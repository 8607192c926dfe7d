/**
 * Web pages of other origins cannot act as the gateway's configured client: requests without
 * credentials run as that client (the simulator's admin here), so a page of another site must not
 * get to send operations (CSRF), read answers (CORS) or open a WebSocket. Pages of the gateway's
 * own origin (GraphiQL), of allow-listed origins (`--cors-origin`), and clients that are not
 * browsers keep working. Each gateway runs on a real port, in front of a simulated Director.
 */
import http from 'node:http';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const FOREIGN = 'http://evil.example';
const ALLOWED = 'https://app.example.com';
const DELETE_REDIS = 'mutation { deleteDeployment(name: "redis") { id } }';
const READ = '{ director { name } }';

/** A gateway with no allow-list (the default) and one that allows ALLOWED. */
let plain: TestGateway;
let plainUrl: string;
let listed: TestGateway;
let listedUrl: string;

beforeAll(async () => {
  [plain, listed] = await Promise.all([startTestGateway(), startTestGateway({ corsOrigins: [ALLOWED] })]);
  [plainUrl, listedUrl] = await Promise.all([plain.listen(), listed.listen()]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), listed?.close()]);
});
beforeEach(() => {
  plain.resetCalls();
  listed.resetCalls();
});

/** The gateway's own origin, as a page it served would send it. */
const own = (url: string) => new URL(url).origin;

interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary result shapes
  body: any;
}

async function send(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

function postJson(url: string, query: string, headers: Record<string, string> = {}): Promise<Reply> {
  return send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
}

function get(url: string, query: string, headers: Record<string, string> = {}): Promise<Reply> {
  return send(`${url}?query=${encodeURIComponent(query)}`, {
    headers: { accept: 'application/json', ...headers },
  });
}

/** What a `<form>` (or `fetch` with `mode: 'no-cors'`) on another site can POST without a preflight. */
function simpleBodies(query: string): [string, () => { body: BodyInit; headers: Record<string, string> }][] {
  return [
    [
      'a form (application/x-www-form-urlencoded)',
      () => ({
        body: new URLSearchParams({ query }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ],
    [
      'a multipart form (multipart/form-data)',
      () => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query }));
        form.set('map', '{}');
        return { body: form, headers: {} };
      },
    ],
    [
      'text/plain holding JSON',
      () => ({ body: JSON.stringify({ query }), headers: { 'content-type': 'text/plain;charset=UTF-8' } }),
    ],
  ];
}

describe('a page of another origin cannot run operations over HTTP', () => {
  it.each(simpleBodies(DELETE_REDIS))(
    'refuses a cross-site POST of %s with 403 and starts no Director task',
    async (_what, make) => {
      const tasksBefore = plain.sim.tasks.list().length;
      const { body, headers } = make();
      const reply = await send(plainUrl, { method: 'POST', headers: { ...headers, origin: FOREIGN }, body });
      expect(reply.status).toBe(403);
      expect(reply.body.errors[0].extensions.code).toBe('CROSS_SITE_REFUSED');
      expect(reply.headers.get('access-control-allow-origin')).toBeNull();
      expect(plain.calls()).toEqual([]);
      expect(plain.sim.tasks.list()).toHaveLength(tasksBefore);
      expect(plain.sim.deployments.names()).toContain('redis');
    },
  );

  it('refuses those bodies even from an allow-listed origin or without an Origin: only a preflight can approve a POST', async () => {
    for (const [what, make] of simpleBodies(READ)) {
      for (const origin of [ALLOWED, undefined]) {
        const { body, headers } = make();
        const reply = await send(listedUrl, {
          method: 'POST',
          headers: { ...headers, ...(origin ? { origin } : {}) },
          body,
        });
        expect(reply.status, `${what} from ${origin ?? 'no origin'}`).toBe(403);
      }
    }
    expect(listed.calls()).toEqual([]);
  });

  it('does not read multipart bodies at all, even with a header that proves a preflight', async () => {
    const [, multipart] = simpleBodies(READ)[1]!;
    const { body } = multipart();
    const reply = await send(plainUrl, { method: 'POST', headers: { 'x-graphql-yoga-csrf': '1' }, body });
    expect(reply.status).toBe(415);
    expect(plain.calls()).toEqual([]);
  });

  it('refuses a GET sent by a page of another origin, by its Origin or its Sec-Fetch-Site', async () => {
    const sentBy: Record<string, string>[] = [
      { origin: FOREIGN },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      // Another port of the same host is the same site, but not the same origin.
      { 'sec-fetch-site': 'same-site' },
    ];
    for (const headers of sentBy) {
      const reply = await get(plainUrl, READ, headers);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(reply.body.errors[0].extensions.code).toBe('CROSS_SITE_REFUSED');
    }
    expect(plain.calls()).toEqual([]);
  });

  it('runs a read-only GET from a client that is no browser, a page of its own origin and an allow-listed one', async () => {
    const cases: [string, Record<string, string>][] = [
      [plainUrl, {}],
      [plainUrl, { origin: own(plainUrl), 'sec-fetch-site': 'same-origin' }],
      [plainUrl, { 'sec-fetch-site': 'none' }],
      [listedUrl, { origin: ALLOWED, 'sec-fetch-site': 'cross-site' }],
    ];
    for (const [url, headers] of cases) {
      const reply = await get(url, READ, headers);
      expect(reply.status, JSON.stringify(headers)).toBe(200);
      expect(reply.body.data.director.name).toEqual(expect.any(String));
    }
  });

  it('never runs a mutation over GET, whoever sends it', async () => {
    const tasksBefore = plain.sim.tasks.list().length;
    const sentBy: Record<string, string>[] = [{}, { origin: own(plainUrl) }];
    for (const headers of sentBy) {
      const reply = await get(plainUrl, DELETE_REDIS, headers);
      expect(reply.status).toBe(405);
    }
    expect(plain.calls()).toEqual([]);
    expect(plain.sim.tasks.list()).toHaveLength(tasksBefore);
  });
});

describe('CORS', () => {
  it('gives a page of another origin no CORS headers, so it can neither pass a preflight nor read an answer', async () => {
    for (const url of [plainUrl, listedUrl]) {
      const preflight = await send(url, {
        method: 'OPTIONS',
        headers: {
          origin: FOREIGN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

      const answer = await postJson(url, READ, { origin: FOREIGN });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('gives an allow-listed origin CORS with credentials, and tells caches the answer varies by Origin', async () => {
    const preflight = await send(listedUrl, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,authorization');

    const answer = await postJson(listedUrl, READ, { origin: ALLOWED });
    expect(answer.status).toBe(200);
    expect(answer.body.data.director.name).toEqual(expect.any(String));
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    expect(answer.headers.get('vary')).toMatch(/\bOrigin\b/i);

    const foreign = await postJson(listedUrl, READ, { origin: FOREIGN });
    expect(foreign.headers.get('vary')).toMatch(/\bOrigin\b/i);
  });

  it('runs a same-origin JSON POST, as GraphiQL sends it, and one from a client that is no browser', async () => {
    const sentBy: Record<string, string>[] = [{ origin: own(plainUrl) }, {}];
    for (const headers of sentBy) {
      const reply = await postJson(plainUrl, READ, headers);
      expect(reply.status).toBe(200);
      expect(reply.body.data.director.name).toEqual(expect.any(String));
    }
  });
});

describe('WebSocket', () => {
  /** The HTTP status of an upgrade to /graphql with this Origin (101 when accepted). */
  function upgrade(url: string, origin: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { origin });
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        socket.terminate();
      });
      socket.once('error', (error) => {
        if (socket.readyState !== WebSocket.CLOSED) reject(error);
      });
    });
  }

  /** Runs one query over graphql-ws, sending this Origin (or none). */
  async function queryOverWs(url: string, origin: string | undefined): Promise<unknown> {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, origin ? { origin } : {});
        }
      },
      retryAttempts: 0,
    });
    try {
      const results = client.iterate({ query: READ });
      const { value } = await results.next();
      await results.return?.();
      return value;
    } finally {
      await client.dispose();
    }
  }

  it('refuses an upgrade from a page of another origin with 403, before any operation', async () => {
    for (const [url, origin] of [
      [plainUrl, FOREIGN],
      [plainUrl, 'null'],
      [listedUrl, FOREIGN],
      // The same host on another port is another origin.
      [plainUrl, `http://127.0.0.1:${Number(new URL(plainUrl).port) + 1}`],
    ] as const) {
      expect(await upgrade(url, origin), origin).toBe(403);
    }
    expect(plain.runtime.gateway.websocket.clients()).toBe(0);
    expect(plain.calls()).toEqual([]);
    expect(listed.calls()).toEqual([]);
  });

  it('runs operations for clients that send no Origin, pages of its own origin and allow-listed pages', async () => {
    const expected = { data: { director: { name: expect.any(String) } } };
    expect(await queryOverWs(plainUrl, undefined)).toEqual(expected);
    expect(await queryOverWs(plainUrl, own(plainUrl))).toEqual(expected);
    expect(await queryOverWs(listedUrl, ALLOWED)).toEqual(expected);
  });
});

describe('DNS rebinding', () => {
  /**
   * A request as a browser sends it from a page whose DNS name was rebound to the gateway's
   * address: same-origin to the browser, so no Origin on a GET, and any header the page likes.
   */
  function rebound(
    url: string,
    method: 'GET' | 'POST',
    extra: Record<string, string> = {},
    upgrade = false,
  ): Promise<number> {
    const target = new URL(url);
    const name = `rebound.example:${target.port}`;
    const body = JSON.stringify({ query: DELETE_REDIS });
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: target.hostname,
        port: target.port,
        method,
        path: method === 'GET' ? `/graphql?query=${encodeURIComponent(READ)}` : '/graphql',
        headers: {
          host: name,
          'sec-fetch-site': 'same-origin',
          'sec-fetch-mode': 'cors',
          'content-type': 'application/json',
          accept: 'application/json',
          ...(method === 'POST' || upgrade ? { origin: `http://${name}` } : {}),
          ...extra,
          ...(upgrade
            ? {
                connection: 'Upgrade',
                upgrade: 'websocket',
                'sec-websocket-version': '13',
                'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
                'sec-websocket-protocol': 'graphql-transport-ws',
              }
            : {}),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 101);
      });
      req.on('error', reject);
      req.end(method === 'POST' && !upgrade ? body : undefined);
    });
  }

  it('refuses a rebound page on GET (no Origin), POST (even with a preflight header) and WebSocket', async () => {
    expect(await rebound(plainUrl, 'GET')).toBe(403);
    expect(await rebound(plainUrl, 'POST')).toBe(403);
    expect(await rebound(plainUrl, 'POST', { 'x-graphql-yoga-csrf': '1' })).toBe(403);
    expect(await rebound(plainUrl, 'GET', {}, true)).toBe(403);
    expect(plain.calls()).toEqual([]);
    expect(plain.sim.deployments.names()).toContain('redis');
  });
});
