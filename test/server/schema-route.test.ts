/** The printed schema: `GET /schema.graphql`, and the committed `schema.graphql` it must equal. */
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';
import { printGatewaySchema } from '../../src/server/schema-route.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const COMMITTED = new URL('../../schema.graphql', import.meta.url);

let gw: TestGateway;
let origin: string;
beforeAll(async () => {
  gw = await startTestGateway();
  origin = new URL(await gw.listen()).origin;
});
afterAll(() => gw?.close());

describe('GET /schema.graphql', () => {
  it('serves the SDL of the schema the gateway runs, descriptions included, as text', async () => {
    const response = await fetch(`${origin}/schema.graphql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; charset=utf-8/);
    const sdl = await response.text();
    expect(sdl).toBe(printGatewaySchema(createSchema()));
    const schema = buildSchema(sdl);
    expect(Object.keys(schema.getQueryType()!.getFields())).toContain('deployments');
    expect(Object.keys(schema.getSubscriptionType()!.getFields())).toContain('taskEvents');
    expect(schema.getType('TaskStageEvent')?.description).toMatch(/Progress of one step/);
  });

  it('answers HEAD with the headers only, and leaves other methods and paths to GraphQL', async () => {
    const head = await fetch(`${origin}/schema.graphql`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(1000);
    expect(await head.text()).toBe('');
    const post = await fetch(`${origin}/schema.graphql`, { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('is what the committed schema.graphql holds (npm run schema keeps it so)', async () => {
    const served = await (await fetch(`${origin}/schema.graphql`)).text();
    expect(readFileSync(COMMITTED, 'utf8')).toBe(served);
    expect(served).toMatch(/^# The whole bosh-graphql schema, printed from schema\/\*\.graphql/);
  });
});
