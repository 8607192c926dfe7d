/**
 * A closed-loop load client: `concurrency` workers, each on its own keep-alive connection, each
 * sending the next request as soon as its last answer has arrived, for `durationMs`. Every answer
 * must be 200 and the expected bytes; anything else is counted as a failure.
 */
import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  failures: number;
  wallMs: number;
  /** Latency of each request, ms, in completion order. */
  latencies: number[];
}

export async function closedLoop(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  expected: string;
  concurrency: number;
  durationMs: number;
}): Promise<LoadResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const { statusCode, body } = await pool.request({
          method: 'POST',
          path: target.pathname,
          headers: options.headers,
          body: options.body,
        });
        const text = await body.text();
        if (statusCode !== 200 || text !== options.expected) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const wallMs = performance.now() - started;
  await pool.close();
  return { requests: latencies.length, failures, wallMs, latencies };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
