/**
 * The direct path (`src/server/direct-path.ts`) answers exactly as yoga's full path does: every
 * request here is sent both over HTTP (the direct path, counted) and through `yoga.fetch` (the full
 * path), and the two answers must match in status, media type, `Vary`, coding and decoded body.
 * Requests that are not the direct path's (browsers, other media types, refusals before running)
 * must be left to the full path, with nothing run twice.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Answer {
  status: number;
  type: string | null;
  vary: string | null;
  coding: string | null;
  /** Every header's name, but those node:http adds on the wire (and the length, which codings change). */
  names: string[];
  body: string;
}

const WIRE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);
const namesOf = (names: Iterable<string>) =>
  [...names]
    .map((n) => n.toLowerCase())
    .filter((n) => !WIRE_HEADERS.has(n))
    .sort();

function decode(coding: string | null, body: Buffer): string {
  if (coding === 'br') return brotliDecompressSync(body).toString('utf8');
  if (coding === 'gzip') return gunzipSync(body).toString('utf8');
  return body.toString('utf8');
}

/** Over HTTP with exactly these headers, as a server-side client sends them. */
function overHttp(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const coding = (res.headers['content-encoding'] as string | undefined) ?? null;
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? null,
          vary: (res.headers.vary as string | undefined)?.toLowerCase() ?? null,
          coding,
          names: namesOf(Object.keys(res.headers)),
          body: decode(coding, Buffer.concat(chunks)),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

describe.each([
  { name: 'no allow-list', corsOrigins: [] as string[] },
  { name: 'an allow-list', corsOrigins: ['https://app.example.com'] },
])('the direct path, with $name', ({ corsOrigins }) => {
  let gw: TestGateway;
  let url: string;
  let admin: string;

  beforeAll(async () => {
    gw = await startTestGateway({ corsOrigins });
    url = await gw.listen();
    admin = await gw.auth('admin');
  });
  afterAll(() => gw?.close());

  async function viaYoga(headers: Record<string, string>, body: string): Promise<Answer> {
    const response = await gw.runtime.gateway.yoga.fetch(url, {
      method: 'POST',
      headers: { ...headers },
      body,
    });
    const coding = response.headers.get('content-encoding');
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      vary: response.headers.get('vary')?.toLowerCase() ?? null,
      coding,
      names: namesOf(response.headers.keys()),
      body: decode(coding, Buffer.from(await response.arrayBuffer())),
    };
  }

  /** The direct path's answer (which it must have given) and the full path's, for one request. */
  async function both(headers: Record<string, string>, body: string, claimed = true) {
    const before = gw.runtime.gateway.direct.answered;
    const direct = await overHttp(url, headers, body);
    expect(gw.runtime.gateway.direct.answered - before).toBe(claimed ? 1 : 0);
    return { direct, full: await viaYoga(headers, body) };
  }

  const cases: [string, Record<string, string>, () => string][] = [
    ['a query', {}, () => JSON.stringify({ query: '{ deployments { name releases { version } } }' })],
    [
      'a query with variables and an operation name',
      {},
      () =>
        JSON.stringify({
          query: 'query A { info { name } } query B($n: String!) { deployment(name: $n) { name } }',
          variables: { n: 'cf' },
          operationName: 'B',
        }),
    ],
    ['an invalid query', {}, () => JSON.stringify({ query: '{ deployments { nope } }' })],
    ['a syntax error', {}, () => JSON.stringify({ query: '{ deployments { ' })],
    [
      'a missing variable',
      {},
      () => JSON.stringify({ query: 'query($n: String!) { deployment(name: $n) { name } }' }),
    ],
    [
      'an over-deep query',
      {},
      () => JSON.stringify({ query: `{ ${'__schema { queryType { '.repeat(12)}name${' } }'.repeat(12)} }` }),
    ],
    [
      'a query over the Director-call budget',
      {},
      () =>
        JSON.stringify({
          query: '{ deployments { vms { cid } instances { id } manifest variables { id } } }',
        }),
    ],
    [
      'an invalid query, graphql-response+json',
      { accept: 'application/graphql-response+json' },
      () => JSON.stringify({ query: '{ deployments { nope } }' }),
    ],
    ['no Accept', { accept: '' }, () => JSON.stringify({ query: '{ __typename }' })],
    [
      'a large answer for a client that takes brotli',
      { 'accept-encoding': 'br, gzip' },
      () => JSON.stringify({ query: '{ __schema { types { name description } } }' }),
    ],
  ];

  it.each(cases)('answers %s as the full path does', async (_name, extra, body) => {
    const headers: Record<string, string> = { ...JSON_HEADERS, authorization: admin, ...extra };
    if (headers.accept === '') delete headers.accept;
    const { direct, full } = await both(headers, body());
    expect(direct).toEqual(full);
  });

  it('refuses bad credentials as the full path does: 401 UNAUTHENTICATED', async () => {
    const headers = {
      ...JSON_HEADERS,
      authorization: `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
    };
    const { direct, full } = await both(headers, JSON.stringify({ query: '{ deployments { name } }' }));
    expect(direct.status).toBe(401);
    expect(JSON.parse(direct.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(direct).toEqual(full);
  });

  it('leaves parameters yoga refuses to the full path, which runs nothing for them', async () => {
    gw.resetCalls();
    for (const body of [
      JSON.stringify({ query: 1 }),
      JSON.stringify({ query: '{ deployments { name } }', unexpected: true }),
      JSON.stringify({ query: '{ deployments { name } }', variables: 'nope' }),
    ]) {
      const headers = { ...JSON_HEADERS, authorization: admin };
      const { direct, full } = await both(headers, body, false);
      expect(direct.status).toBe(400);
      expect(direct).toEqual(full);
    }
    expect(gw.calls()).toEqual([]);
  });

  it('leaves browsers, batches, subscriptions and other media types to the full path', async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const headers = { ...JSON_HEADERS, authorization: admin };
    for (const [extra, body] of [
      [{ origin: 'https://evil.example.com' }, query],
      [{ origin: 'https://app.example.com' }, query],
      [{ 'sec-fetch-site': 'cross-site' }, query],
      [{ accept: 'application/json, text/event-stream' }, query],
      [{ 'content-type': 'application/graphql+json' }, query],
      [{}, `[${query}]`],
      [{}, JSON.stringify({ query: 'subscription { runningTasks { id } }' })],
    ] as const) {
      const { direct, full } = await both({ ...headers, ...extra }, body, false);
      expect(direct.status).toBe(full.status);
    }
    const foreign = await overHttp(url, { ...headers, origin: 'https://evil.example.com' }, query);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).errors[0].extensions.code).toBe('CROSS_SITE_REFUSED');
  });

  it('runs a mutation once, with the caller credentials', async () => {
    gw.resetCalls();
    const reader = await gw.auth('reader');
    const headers = { ...JSON_HEADERS, authorization: reader };
    const before = gw.runtime.gateway.direct.answered;
    const answer = await overHttp(
      url,
      headers,
      JSON.stringify({ query: 'mutation { deleteDeployment(name: "cf") { id } }' }),
    );
    expect(gw.runtime.gateway.direct.answered - before).toBe(1);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(gw.calls().filter((call) => call.startsWith('DELETE '))).toHaveLength(1);
  });
});

describe('the direct path, with trusted documents', () => {
  const documents = {
    'sha256:abc': '{ deployments { name } }',
    'sha256:def': 'subscription { runningTasks { id } }',
  };
  let gw: TestGateway;
  let url: string;
  beforeAll(async () => {
    gw = await startTestGateway({ trustedDocuments: documents });
    url = await gw.listen();
  });
  afterAll(() => gw?.close());

  it('refuses any other text as the full path does, with nothing run', async () => {
    gw.resetCalls();
    const headers = { ...JSON_HEADERS, authorization: await gw.auth('admin') };
    const body = JSON.stringify({ query: '{ deployments { name releases { version } } }' });
    const before = gw.runtime.gateway.direct.answered;
    const direct = await overHttp(url, headers, body);
    const full = await gw.runtime.gateway.yoga.fetch(url, { method: 'POST', headers, body });
    expect(gw.runtime.gateway.direct.answered).toBe(before);
    expect(direct.status).toBe(full.status);
    expect(JSON.parse(direct.body)).toEqual(await full.json());
    expect(JSON.parse(direct.body).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect(gw.calls()).toEqual([]);
  });

  it('leaves documents sent by id to the full path, an empty text beside them included', async () => {
    const headers = { ...JSON_HEADERS, authorization: await gw.auth('admin') };
    const before = gw.runtime.gateway.direct.answered;
    for (const body of [
      JSON.stringify({ documentId: 'sha256:abc' }),
      JSON.stringify({ query: '', documentId: 'sha256:abc' }),
      JSON.stringify({ query: '', documentId: 'sha256:def' }),
    ]) {
      const direct = await overHttp(url, headers, body);
      // A copy: the Fetch side writes the body's length into the headers object it is given.
      const full = await gw.runtime.gateway.yoga.fetch(url, {
        method: 'POST',
        headers: { ...headers },
        body,
      });
      expect(direct.status).toBe(full.status);
      expect(direct.body).toBe(await full.text());
    }
    expect(gw.runtime.gateway.direct.answered).toBe(before);
  });
});
