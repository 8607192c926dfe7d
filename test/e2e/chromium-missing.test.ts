/**
 * On a machine without Chromium, `npm test` must still pass (the browser tests are skipped, said in
 * one loud line with the install command), and on CI they must fail instead. Each case runs
 * vitest on the GraphiQL browser test in a child process that is told Chromium is elsewhere.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function vitest(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Neither this run's worker state nor CI's JSON report (the child would overwrite it).
    if (key.startsWith('VITEST') || key === 'CI' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  const child = spawn(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', 'test/e2e/graphiql.test.ts'],
    {
      cwd: ROOT,
      env: { ...env, NO_COLOR: '1', BOSH_GRAPHQL_CHROMIUM: '/nonexistent/chromium', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('without Chromium', { timeout: 120_000 }, () => {
  it('skips the browser tests with one loud line saying how to install it, and passes', async () => {
    const run = await vitest({});
    expect(run.code, run.output).toBe(0);
    const notices = run.output.split('\n').filter((line) => line.includes('SKIPPING THE BROWSER TESTS'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('/nonexistent/chromium');
    expect(notices[0]).toContain('apt-get install -y chromium');
    expect(run.output).toMatch(/Tests\s+\d+ skipped/);
  });

  it('fails them under CI=true instead, naming the install command', async () => {
    const run = await vitest({ CI: 'true' });
    expect(run.code).not.toBe(0);
    expect(run.output).not.toContain('SKIPPING THE BROWSER TESTS');
    expect(run.output).toContain('Chromium is not installed at /nonexistent/chromium');
    expect(run.output).toMatch(/Tests\s+\d+ failed/);
  });
});
