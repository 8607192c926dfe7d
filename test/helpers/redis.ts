/**
 * Redis for the replica tests. They use BOSH_GRAPHQL_TEST_REDIS_URL (CI starts a server of its
 * own when none answers on the default), each under a key prefix of its own that it deletes
 * afterwards. Without a Redis they are skipped, with one loud line (redis-notice.ts); on CI they
 * run and fail instead.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { onCI } from './browser.js';

export const TEST_REDIS_URL = process.env.BOSH_GRAPHQL_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export const INSTALL_REDIS =
  'apt-get install -y redis-server, then start one with `redis-server --port 6379 --save "" --appendonly no --daemonize yes`';

/** True when a Redis answers PING at `url` within a second. */
export function redisAnswers(url = TEST_REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), 1_000);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // A Redis that wants a password answers -NOAUTH: it answers all the same.
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** Whether the Redis tests are skipped here: no Redis, and not on CI. */
export async function skipRedisTests(): Promise<boolean> {
  return !(await redisAnswers()) && !onCI();
}

/** A key prefix for one test. */
export function testPrefix(): string {
  return `bosh-graphql-test:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under `prefix`. */
export async function cleanPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  // Never every key of a shared Redis: only a test's own prefix.
  if (!prefix.startsWith('bosh-graphql-test:')) throw new Error(`refusing to delete keys under '${prefix}'`);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
