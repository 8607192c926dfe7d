import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorClient, DirectorTlsError } from '../../src/director/index.js';
import { json, type StubDirector, startStub } from '../helpers/stub-director.js';
import { makeCa, makeServerCert, type TestCa } from '../helpers/test-ca.js';
import { INFO_BASIC, infoUaa } from './fixtures.js';

describe('TLS is always verified', () => {
  let ca: TestCa;
  let otherCa: TestCa;
  let director: StubDirector;
  let uaa: StubDirector;

  beforeAll(async () => {
    [ca, otherCa] = await Promise.all([makeCa('Director CA'), makeCa('Some other CA')]);
    const cert = await makeServerCert(ca);
    director = await startStub({ tls: cert });
    uaa = await startStub({ tls: cert });
    director.on('GET /info', json(200, INFO_BASIC));
  });
  afterAll(async () => {
    await director.close();
    await uaa.close();
  });

  it('talks to a Director whose certificate the configured CA signed', async () => {
    const client = new DirectorClient({ url: director.url, ca: ca.certPem });
    await expect(client.forCaller(undefined).info()).resolves.toMatchObject({ name: 'bosh-lite' });
    await client.close();
  });

  it('uses https when the address has no scheme', async () => {
    const client = new DirectorClient({ url: `127.0.0.1:${director.port}`, ca: ca.certPem });
    expect(client.origin).toBe(`https://127.0.0.1:${director.port}`);
    await expect(client.forCaller(undefined).info()).resolves.toMatchObject({ name: 'bosh-lite' });
    await client.close();
  });

  it('fails with a TLS error code when the certificate is signed by another CA', async () => {
    const before = director.requests.length;
    const client = new DirectorClient({ url: director.url, ca: otherCa.certPem, sleep: async () => {} });
    const error = await client
      .forCaller(undefined)
      .info()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorTlsError);
    expect(error).toMatchObject({ code: 'DIRECTOR_TLS_ERROR', route: 'GET /info' });
    expect((error as DirectorTlsError).tlsCode).toMatch(/^(UNABLE_TO_|SELF_SIGNED|CERT_|DEPTH_ZERO)/);
    expect(director.requests.length).toBe(before);
    await client.close();
  });

  it('fails against the system roots when no CA is configured', async () => {
    const client = new DirectorClient({ url: director.url, sleep: async () => {} });
    await expect(client.forCaller(undefined).info()).rejects.toMatchObject({ code: 'DIRECTOR_TLS_ERROR' });
    await client.close();
  });

  it('verifies UAA against the same CA', async () => {
    director.on('GET /info', json(200, infoUaa(uaa.url)));
    director.on('GET /locks', json(200, []));
    uaa.on('POST /oauth/token', json(200, { access_token: 't', token_type: 'bearer', expires_in: 600 }));
    const good = new DirectorClient({ url: director.url, ca: ca.certPem, client: 'ci', clientSecret: 'x' });
    await expect(good.forCaller(undefined).listLocks()).resolves.toEqual([]);
    expect(director.calls('GET /locks').at(-1)?.headers.authorization).toBe('bearer t');
    await good.close();
    director.on('GET /info', json(200, INFO_BASIC));
  });
});

describe('plain http', () => {
  it('is accepted for loopback hosts', async () => {
    const stub = await startStub();
    stub.on('GET /info', json(200, INFO_BASIC));
    for (const url of [stub.url, `http://localhost:${stub.port}`]) {
      const client = new DirectorClient({ url });
      await expect(client.forCaller(undefined).info()).resolves.toMatchObject({ name: 'bosh-lite' });
      await client.close();
    }
    await stub.close();
  });

  it('is refused for any other host when the client is built', () => {
    expect(() => new DirectorClient({ url: 'http://10.0.0.6:25555' })).toThrow(/plain http.*loopback/);
    expect(() => new DirectorClient({ url: 'http://bosh.example.com' })).toThrow(/plain http/);
  });
});
