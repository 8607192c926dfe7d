/**
 * One gateway in front of a fresh simulator for a whole test file: started before its first test,
 * closed after its last. Before each test the simulator's faults are cleared, the configured
 * client's one-time `/info` probe is made and the call log emptied, so the calls a test counts are
 * its own and no fault outlives the test that set it.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';

export function fileGateway(options?: TestGatewayOptions): TestGateway {
  let started: TestGateway | undefined;
  beforeAll(async () => {
    started = await startTestGateway(options);
  });
  afterAll(() => started?.close());
  beforeEach(async () => {
    started?.sim.faults.clear();
    await started?.graphql('{ director { name } }');
    started?.resetCalls();
  });
  return new Proxy({} as TestGateway, {
    get(_target, key) {
      if (!started) throw new Error('The file gateway starts in beforeAll: use it in tests and hooks.');
      return started[key as keyof TestGateway];
    },
    has: (_target, key) => started !== undefined && key in started,
  });
}
