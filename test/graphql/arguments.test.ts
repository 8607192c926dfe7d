/**
 * Argument bounds (README, "Limits"): names, ids and other short arguments are checked for length
 * and form, manifests for size, and lists for length, before any Director call. Each failure is
 * BAD_USER_INPUT, and nothing reaches the Director.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse } from '../helpers/subscribe.js';
import { manifest } from './support.js';

let gw: TestGateway;
/** A gateway that takes manifests of at most 4 KiB, so the size checks need no huge bodies. */
let small: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
  small = await startTestGateway({ limits: { maxManifestBytes: 4096 } });
});
afterAll(async () => {
  await gw.close();
  await small.close();
});

async function refusedUnsent(query: string, variables?: Record<string, unknown>, on = gw) {
  on.resetCalls();
  const reply = await on.graphql(query, variables);
  expect(reply.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  expect(on.calls()).toEqual([]);
  return reply.errors?.[0];
}

describe('argument bounds', () => {
  it('refuses a 5 MB deployment filter without sending it', async () => {
    const error = await refusedUnsent('query($d: String) { tasks(deployment: $d) { id } }', {
      d: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(error?.extensions).toMatchObject({ argument: 'deployment', maxLength: 128 });
    expect(error?.message).not.toContain('xxxxxxxx');
  });

  it('refuses deleteDeployment of a 20 000-character name, and starts nothing', async () => {
    const error = await refusedUnsent('mutation($n: String!) { deleteDeployment(name: $n) { id } }', {
      n: 'd'.repeat(20_000),
    });
    expect(error?.message).toContain('20000 characters');
  });

  it('accepts a name of 128 characters, and refuses one with a control character', async () => {
    gw.resetCalls();
    const fine = await gw.graphql('query($n: String!) { deployment(name: $n) { name } }', {
      n: 'n'.repeat(128),
    });
    expect(fine.errors).toBeUndefined();
    expect(fine.data.deployment).toBeNull();
    await refusedUnsent('query($n: String!) { deployment(name: $n) { name } }', { n: 'cf\r\nX-Injected: 1' });
  });

  it('refuses a list of more than 100 items inside an input object', async () => {
    const error = await refusedUnsent(
      'mutation($m: String!, $o: DeployOptions) { deploy(manifest: $m, options: $o) { id } }',
      { m: manifest('bounded'), o: { skipDrain: Array.from({ length: 101 }, (_, i) => `ig${i}`) } },
    );
    expect(error?.extensions).toMatchObject({ argument: 'options.skipDrain', maxItems: 100 });
  });

  it('holds manifests to --max-manifest-bytes, not to the name bound', async () => {
    const big = `${manifest('roomy')}# ${'p'.repeat(3000)}\n`;
    const fits = await small.graphql('mutation($m: String!) { deploy(manifest: $m) { id } }', { m: big });
    expect(fits.errors).toBeUndefined();
    const error = await refusedUnsent(
      'mutation($m: String!) { deploy(manifest: $m) { id } }',
      { m: `${big}${'#'.repeat(2000)}\n` },
      small,
    );
    expect(error?.extensions).toMatchObject({ argument: 'manifest', maxBytes: 4096 });
  });

  it('answers 413 to a request body far over the manifest cap', async () => {
    // At most twice the cap (a JSON string may escape every byte) plus 64 KiB of query.
    const response = await small.runtime.gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ director { name } }', variables: { pad: 'x'.repeat(100_000) } }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses a runningTasks subscription with an oversized filter, and starts no poller', async () => {
    const url = await gw.listen();
    gw.resetCalls();
    const sub = subscribeSse(
      url,
      'subscription($d: String) { runningTasks(deployment: $d) { id } }',
      { d: 'z'.repeat(1000) },
      gw.sim.basicAuth('admin'),
    );
    await sub.done;
    expect(sub.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gw.runtime.streams.stats().runningTasksPollers).toBe(0);
    expect(gw.calls()).toEqual([]);
  });
});
