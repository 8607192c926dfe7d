/** The gateway runtime's lifecycle. */
import { expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.js';

it('closes a runtime twice without an error', async () => {
  const other = await startTestGateway();
  await other.listen();
  await other.runtime.close();
  await expect(other.runtime.close()).resolves.toBeUndefined();
  await other.sim.stop();
});
