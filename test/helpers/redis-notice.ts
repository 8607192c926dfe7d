/**
 * vitest's global setup: when the Redis tests are to be skipped (no Redis answers, not CI), it
 * says so in one loud line, with how to install and start one.
 */
import { INSTALL_REDIS, skipRedisTests, TEST_REDIS_URL } from './redis.js';

export default async function setup(): Promise<void> {
  if (!(await skipRedisTests())) return;
  process.stdout.write(
    `\n!!! SKIPPING THE REDIS (REPLICA) TESTS: no Redis answers at ${TEST_REDIS_URL}. Install it with ${INSTALL_REDIS} (on CI they run and fail instead).\n\n`,
  );
}
