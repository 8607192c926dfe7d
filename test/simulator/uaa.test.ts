import { describe, expect, it } from 'vitest';
import { eachManualSim, manualSim, request } from './helpers.js';

const t = eachManualSim({ auth: 'uaa', tokenTtlSeconds: 60 });

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function token(body: string, auth?: string) {
  return request(t.sim.url, 'POST', '/oauth/token', { headers: form, body, auth });
}

describe('UAA mode', () => {
  it('advertises this server as the UAA in /info', async () => {
    const info = (await request(t.sim.url, 'GET', '/info')).json();
    expect(info.user_authentication).toEqual({ type: 'uaa', options: { url: t.sim.url, urls: [t.sim.url] } });
  });

  it('issues client_credentials tokens with client auth by Basic header or by form fields', async () => {
    const viaHeader = await token('grant_type=client_credentials', basic('admin', 'admin'));
    expect(viaHeader.status).toBe(200);
    const body = viaHeader.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 60, scope: 'bosh.admin' });
    expect(body.access_token.split('.')).toHaveLength(3);
    expect(typeof body.jti).toBe('string');
    const viaForm = await token('grant_type=client_credentials&client_id=admin&client_secret=admin');
    expect(viaForm.status).toBe(200);
    const info = await request(t.sim.url, 'GET', '/info', { auth: `bearer ${body.access_token}` });
    expect(info.json().user).toBe('admin');
  });

  it('issues password grants through bosh_cli and names the user on the Director', async () => {
    const r = await token(
      'grant_type=password&username=alpha-admin&password=alpha-admin',
      basic('bosh_cli', ''),
    );
    expect(r.status).toBe(200);
    const { access_token, scope, refresh_token } = r.json();
    expect(scope).toBe('bosh.teams.alpha.admin');
    const list = await request(t.sim.url, 'GET', '/deployments', { auth: `Bearer ${access_token}` });
    expect(list.status).toBe(200);
    expect(list.json().map((d: { name: string }) => d.name)).toEqual(['zookeeper']);
    expect(t.sim.requests.list({ path: '/deployments' })[0]?.user).toBe('alpha-admin');
    // A refresh token is not an access token...
    expect(
      (await request(t.sim.url, 'GET', '/deployments', { auth: `bearer ${refresh_token}` })).status,
    ).toBe(401);
    // ...but it buys a new one.
    const refreshed = await token(
      `grant_type=refresh_token&refresh_token=${refresh_token}`,
      basic('bosh_cli', ''),
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.json().access_token).not.toBe(access_token);
  });

  it('refuses bad client or user credentials and unknown grants', async () => {
    const badClient = await token('grant_type=client_credentials', basic('admin', 'nope'));
    expect(badClient.status).toBe(401);
    expect(badClient.json().error).toBe('unauthorized');
    const badUser = await token('grant_type=password&username=admin&password=nope', basic('bosh_cli', ''));
    expect(badUser.status).toBe(401);
    const grant = await token('grant_type=implicit', basic('admin', 'admin'));
    expect(grant.status).toBe(400);
    expect(grant.json().error).toBe('unsupported_grant_type');
  });

  it('answers 401 in plain text once the token has expired on the simulated clock', async () => {
    const auth = await t.sim.token('admin');
    expect((await request(t.sim.url, 'GET', '/deployments', { auth })).status).toBe(200);
    await t.clock.advance(59_000);
    expect((await request(t.sim.url, 'GET', '/deployments', { auth })).status).toBe(200);
    await t.clock.advance(1_000);
    const expired = await request(t.sim.url, 'GET', '/deployments', { auth });
    expect(expired.status).toBe(401);
    expect(expired.text).toBe("Not authorized: '/deployments'\n");
    expect(expired.headers['www-authenticate']).toBe('Basic realm="BOSH Director"');
  });

  it('does not accept basic credentials or forged tokens in UAA mode', async () => {
    expect((await request(t.sim.url, 'GET', '/deployments', { auth: basic('admin', 'admin') })).status).toBe(
      401,
    );
    const real = (await t.sim.token('admin')).split('.');
    const forged = `${real[0]}.${Buffer.from(JSON.stringify({ jti: 'x', scope: ['bosh.admin'], client_id: 'admin', exp: 9e9 })).toString('base64url')}.${real[2]}`;
    expect((await request(t.sim.url, 'GET', '/deployments', { auth: forged })).status).toBe(401);
  });

  it('serves the login prompts bosh-cli asks for', async () => {
    const r = await request(t.sim.url, 'GET', '/login');
    expect(r.json().prompts).toEqual({ username: ['text', 'Username'], password: ['password', 'Password'] });
  });
});

describe('basic mode', () => {
  it('has no token endpoint and refuses to mint tokens', async () => {
    const b = await manualSim();
    try {
      expect(
        (
          await request(b.sim.url, 'POST', '/oauth/token', {
            headers: form,
            body: 'grant_type=client_credentials',
          })
        ).status,
      ).toBe(404);
      await expect(b.sim.token('admin')).rejects.toThrow(/basic auth/);
    } finally {
      await b.sim.stop();
    }
  });
});
