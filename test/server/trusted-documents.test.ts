/**
 * Trusted documents (`--trusted-documents`): only the manifest's documents run, sent by id, on
 * HTTP (POST and GET), SSE and graphql-ws alike; anything else is PERSISTED_QUERY_ONLY.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deployManifest } from '../helpers/manifests.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';

const id = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

const DEPLOYMENTS = 'query Deployments { deployments { name } }';
const DEPLOY = 'mutation Deploy($manifest: String!) { deploy(manifest: $manifest) { id state } }';
const FOLLOW = 'subscription Follow($id: ID!) { taskUpdated(id: $id) { id state } }';
const MANIFEST = Object.fromEntries([DEPLOYMENTS, DEPLOY, FOLLOW].map((text) => [id(text), text]));

let gw: TestGateway;
let url: string;
beforeAll(async () => {
  gw = await startTestGateway({ trustedDocuments: MANIFEST });
  url = await gw.listen();
});
afterAll(() => gw?.close());

async function post(body: Record<string, unknown>) {
  const response = await gw.runtime.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: reading arbitrary results
  return { status: response.status, ...((await response.json()) as any) };
}

const codes = (reply: { errors?: { extensions?: { code?: string } }[] }) =>
  (reply.errors ?? []).map((e) => e.extensions?.code);

describe('over HTTP', () => {
  it('runs a trusted query sent by its documentId, as the client preset sends it', async () => {
    const reply = await post({ documentId: id(DEPLOYMENTS) });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deployments.map((d: { name: string }) => d.name)).toContain('cf');
  });

  it('runs a trusted mutation with its variables', async () => {
    const reply = await post({ documentId: id(DEPLOY), variables: { manifest: deployManifest('trusted') } });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deploy.id).toMatch(/^\d+$/);
    await gw.sim.tasks.wait(Number(reply.data.deploy.id));
  });

  it("runs a trusted query on a GET with ?documentId=, and Apollo's persistedQuery hash", async () => {
    const get = await gw.runtime.gateway.yoga.fetch(
      `http://gateway/graphql?documentId=${encodeURIComponent(id(DEPLOYMENTS))}`,
      { headers: { accept: 'application/json' } },
    );
    expect(((await get.json()) as { data: unknown }).data).toHaveProperty('deployments');
    const apollo = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: id(DEPLOYMENTS).slice('sha256:'.length) } },
    });
    expect(apollo.errors).toBeUndefined();
    expect(apollo.data).toHaveProperty('deployments');
  });

  it('refuses any document text, even the text of a trusted one, with PERSISTED_QUERY_ONLY and nothing run', async () => {
    gw.resetCalls();
    for (const query of ['{ deployments { name } }', DEPLOYMENTS, '{ __schema { types { name } } }']) {
      const reply = await post({ query });
      expect(reply.status).toBe(400);
      expect(reply.data).toBeUndefined();
      expect(codes(reply)).toEqual(['PERSISTED_QUERY_ONLY']);
      expect(reply.errors[0].message).toMatch(/runs only trusted documents/);
    }
    expect(gw.calls()).toEqual([]);
  });

  it('refuses an unknown id and a request that names no document, with the same code', async () => {
    const unknown = await post({ documentId: id('{ tasks { id } }') });
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(unknown.errors[0].message).toContain(id('{ tasks { id } }'));
    const nothing = await post({ variables: {} });
    expect(codes(nothing)).toEqual(['PERSISTED_QUERY_ONLY']);
    const junk = await post({ documentId: '<script>alert(1)</script>' });
    expect(codes(junk)).toEqual(['PERSISTED_QUERY_ONLY']);
    expect(junk.errors[0].message).not.toContain('<script>');
  });
});

describe('over SSE', () => {
  it('streams a trusted subscription sent by its documentId to the end', async () => {
    const task = gw.sim.tasks.startDeploy(deployManifest('trusted-sse'));
    const sub = subscribeSse(url, '', { id: task }, undefined, { documentId: id(FOLLOW) });
    await sub.done;
    expect(sub.completed).toBe(true);
    expect(sub.results.at(-1)?.data.taskUpdated).toEqual({ id: String(task), state: 'DONE' });
  });

  it('refuses a subscription sent as text', async () => {
    const sub = subscribeSse(url, 'subscription { runningTasks { id } }');
    await sub.done;
    expect(sub.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
      'PERSISTED_QUERY_ONLY',
    ]);
  });
});

describe('over graphql-ws', () => {
  it('streams a trusted subscription sent by its documentId to the end', async () => {
    const task = gw.sim.tasks.startDeploy(deployManifest('trusted-ws'));
    const sub = subscribeWs(url, '', { id: task }, undefined, { documentId: id(FOLLOW) });
    await sub.done;
    expect(sub.completed).toBe(true);
    expect(sub.results.at(-1)?.data.taskUpdated).toEqual({ id: String(task), state: 'DONE' });
  });

  it('refuses document text, a trusted one too, and an unknown id, each with PERSISTED_QUERY_ONLY', async () => {
    for (const [query, extra] of [
      ['subscription { runningTasks { id } }', {}],
      [FOLLOW, {}],
      ['', { documentId: id('subscription { runningTasks { id } }') }],
    ] as const) {
      const sub = subscribeWs(url, query, { id: '1' }, undefined, extra);
      await sub.done;
      expect(sub.completed).toBe(false);
      expect(sub.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
        'PERSISTED_QUERY_ONLY',
      ]);
    }
  });
});
