/** The settings of `serve` that reach the Director client, without starting a process. */
import { describe, expect, it } from 'vitest';
import { directorClientOptions } from '../../src/cli/serve.js';
import { parseServeConfig } from '../../src/config.js';

describe('the Director client of serve', () => {
  it('waits for tasks at most --poll-interval-ms between polls, and sends at most --max-concurrency', () => {
    const config = parseServeConfig(
      ['--director', 'https://10.0.0.6', '--poll-interval-ms', '120', '--max-concurrency', '4'],
      {},
    );
    expect(directorClientOptions(config.director!, config)).toMatchObject({
      url: 'https://10.0.0.6:25555',
      taskPollIntervalMs: 120,
      maxConcurrency: 4,
    });
  });

  it('uses the default poll interval, 500 ms, when none is set', () => {
    const config = parseServeConfig(['--director', 'https://10.0.0.6'], {});
    expect(directorClientOptions(config.director!, config).taskPollIntervalMs).toBe(500);
  });
});
