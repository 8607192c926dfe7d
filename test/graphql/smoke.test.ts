import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

it('answers the deployments page query with exactly 3 Director calls', async () => {
  await gw.graphql('{ director { name } }');
  gw.resetCalls();
  const reply = await gw.graphql(
    '{ deployments { name releases { version release { name } } stemcells { operatingSystem deployments { name } } } }',
  );
  expect(reply.errors).toBeUndefined();
  expect(reply.data.deployments.length).toBeGreaterThan(2);
  expect(gw.calls().sort()).toEqual(['GET /deployments', 'GET /releases', 'GET /stemcells']);
});
