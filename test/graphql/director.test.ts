/**
 * `Query.director`: the Director's `/info`, for basic and UAA Directors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const QUERY = `{ director {
  name uuid version user cpi stemcellOs stemcellVersion
  authentication { type uaaUrl }
  features { name enabled extras }
} }`;

interface WireInfo {
  name: string;
  uuid: string;
  version: string;
  user: string | null;
  cpi: string;
  stemcell_os: string;
  stemcell_version: string;
  user_authentication: { type: string; options: { url?: string } };
  features: Record<string, { status: boolean; extras?: unknown }>;
}

async function info(gw: TestGateway, user: string | null): Promise<WireInfo> {
  const headers: Record<string, string> = user === null ? {} : { authorization: await gw.auth(user) };
  return (await (await fetch(`${gw.sim.url}/info`, { headers })).json()) as WireInfo;
}

describe('on a basic-auth Director', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('answers the Director /info, features sorted by name', async () => {
    const wire = await info(gw, 'reader');
    gw.resetCalls();
    const reply = await gw.graphql(QUERY, undefined, 'reader');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.director).toEqual({
      name: wire.name,
      uuid: wire.uuid,
      version: wire.version,
      user: 'reader',
      cpi: wire.cpi,
      stemcellOs: wire.stemcell_os,
      stemcellVersion: wire.stemcell_version,
      authentication: { type: 'BASIC', uaaUrl: null },
      features: Object.entries(wire.features)
        .map(([name, f]) => ({ name, enabled: f.status, extras: f.extras ?? null }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    });
    expect(gw.calls()).toEqual(['GET /info']);
  });

  it('names the caller as the Director knows it', async () => {
    const [alpha, beta] = await Promise.all([
      gw.graphql('{ director { user } }', undefined, 'alpha-admin'),
      gw.graphql('{ director { user } }', undefined, 'beta-admin'),
    ]);
    expect(alpha.data.director.user).toBe('alpha-admin');
    expect(beta.data.director.user).toBe('beta-admin');
  });
});

describe('on a UAA Director', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ simulator: { auth: 'uaa' } });
  });
  afterAll(() => gw.close());

  it('says UAA and gives the UAA URL', async () => {
    const wire = await info(gw, null);
    const reply = await gw.graphql(
      '{ director { user authentication { type uaaUrl } } }',
      undefined,
      'reader',
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data.director).toEqual({
      user: 'reader',
      authentication: { type: 'UAA', uaaUrl: wire.user_authentication.options.url },
    });
  });
});
