/**
 * README "Errors": a Director description reaches clients only scrubbed: no Director URL or host,
 * no other URL, nothing that looks like a credential.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';
import { type StubDirector, startStub } from '../helpers/stub-director.js';

let stub: StubDirector;
let rt: GatewayRuntime;
beforeEach(async () => {
  stub = await startStub();
  rt = createGatewayRuntime({ director: { url: stub.url }, graphiql: false });
});
afterEach(async () => {
  await rt.close();
  await stub.close();
});

async function query(
  text: string,
): Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await rt.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Basic ${Buffer.from('admin:s3cr3t-pass').toString('base64')}`,
    },
    body: JSON.stringify({ query: text }),
  });
  return (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('Director descriptions shown to clients', () => {
  it('lose the Director URL, its host, other URLs and credential-like text, and keep the rest', async () => {
    const host = new URL(stub.url).hostname;
    const description = [
      `Deployment 'cf' could not be fetched from ${stub.url}/deployments/cf on host ${host}.`,
      'Blobstore https://blob-admin:hunter2@blobstore.internal:25250/x refused;',
      'properties: {password: p4ssw0rd-value, nats_token=tok-123456}',
      'Authorization: Bearer abc.def-ghi_jkl and eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
    ].join(' ');
    stub.on('GET /deployments', (_req, res) => {
      res.writeHead(400, { 'content-type': 'text/html;charset=utf-8' });
      res.end(JSON.stringify({ code: 190014, description }));
    });
    const reply = await query('{ deployments { name } }');
    const error = reply.errors?.[0];
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', directorCode: 190014 });
    const message = error?.message ?? '';
    for (const leaked of [
      stub.url,
      host,
      'blobstore.internal',
      'hunter2',
      'p4ssw0rd-value',
      'tok-123456',
      'abc.def-ghi_jkl',
      'eyJhbGciOi',
      'MIIEow',
      's3cr3t-pass',
    ]) {
      expect(message).not.toContain(leaked);
    }
    expect(message).toContain("Deployment 'cf' could not be fetched from [url]");
    expect(message).toContain('on host [director]');
    expect(message).toContain('password: [redacted]');
  });
});
