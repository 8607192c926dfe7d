/**
 * The `bosh-graphql` command before it serves anything: the build step of `npm start`, help,
 * usage, and refusing bad settings. Each case runs the real launcher as a child process.
 */
import { existsSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATE_FLAGS } from '../../src/cli/simulate.js';
import { SERVE_SETTINGS } from '../../src/config.js';
import { freshPackage, type Package } from './harness.js';

let pkg: Package;
beforeAll(async () => {
  pkg = await freshPackage();
});
afterAll(() => pkg?.dispose());

/** The help entry of `flag`: its line and the indented lines under it. */
function entryOf(help: string, flag: string): string {
  const lines = help.split('\n');
  const head = new RegExp(`^\\s*${flag.replace(/[^\w-]/g, '\\$&')}(?=[\\s[=]|$)`);
  const start = lines.findIndex((line) => head.test(line));
  if (start === -1) throw new Error(`no help entry for ${flag} in:\n${help}`);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.length - line.trimStart().length <= indent || line.trim() === '');
  return [lines[start], ...rest.slice(0, end === -1 ? undefined : end)].join('\n');
}

describe("npm start's build step (scripts/ensure-build.mjs)", () => {
  it('builds dist/ on a fresh clone, even when the checkout path has a space in it', () => {
    expect(pkg.root).toContain(' ');
    expect(pkg.build.code, pkg.build.stderr).toBe(0);
    expect(pkg.build.stderr).toContain('building dist/');
    expect(existsSync(join(pkg.root, 'dist', 'cli', 'main.js'))).toBe(true);
  });

  it('leaves an up-to-date build alone, and rebuilds once a source is newer than the build', async () => {
    const stamp = join(pkg.root, 'dist', 'cli', 'main.js');
    const upToDate = await pkg.ensureBuild();
    expect(upToDate.code).toBe(0);
    expect(upToDate.stderr).toBe('');

    const longAgo = new Date('2001-01-01T00:00:00Z');
    utimesSync(stamp, longAgo, longAgo);
    const stale = await pkg.ensureBuild();
    expect(stale.code, stale.stderr).toBe(0);
    expect(stale.stderr).toContain('building dist/');
    expect(statSync(stamp).mtimeMs).toBeGreaterThan(longAgo.getTime());
  });
});

describe('help and usage', () => {
  it('serve --help lists every setting of the table with its flag, variable and default, and exits 0', async () => {
    const result = await pkg.run(['serve', '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(SERVE_SETTINGS.length).toBeGreaterThan(5);
    for (const setting of SERVE_SETTINGS) {
      const entry = entryOf(result.stdout, setting.flag);
      expect(entry).toContain(setting.env);
      expect(entry).toContain(`Default: ${setting.defaultText}`);
    }
    expect(result.stdout).toContain('--help');
  });

  it('simulate --help lists every flag with its variable and default, and exits 0', async () => {
    const result = await pkg.run(['simulate', '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(SIMULATE_FLAGS.length).toBeGreaterThan(5);
    for (const flag of SIMULATE_FLAGS) {
      const entry = entryOf(result.stdout, `--${flag.flag}`);
      expect(entry).toContain(`(${flag.env}, default ${flag.fallback})`);
    }
  });

  it('shows the commands for --help, and refuses an unknown command with exit 2 and the usage', async () => {
    const [help, unknown] = await Promise.all([pkg.run(['--help']), pkg.run(['frobnicate'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: bosh-graphql/);
    expect(help.stdout).toMatch(/serve\s.*\n\s+simulate\s/);

    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage: bosh-graphql');
  });
});

describe('a bad setting stops serve before it starts', () => {
  const SECRET = 'hunter2';
  const missing = join('/nonexistent-bosh-graphql-test', 'ca.pem');
  // Each case names the setting its one line of stderr must name.
  const cases: { what: string; args: string[]; env: Record<string, string>; names: string }[] = [
    { what: 'a port above 65535', args: ['--port', '70000'], env: {}, names: '--port' },
    { what: 'a port that is not a number', args: [], env: { PORT: 'eighty' }, names: 'PORT' },
    {
      what: 'plain http to a host that is not loopback',
      args: [],
      env: { BOSH_ENVIRONMENT: 'http://10.0.0.1' },
      names: 'BOSH_ENVIRONMENT',
    },
    { what: 'a malformed Director URL', args: ['--director', 'https://[::1'], env: {}, names: '--director' },
    {
      what: 'a CA certificate file that does not exist',
      args: ['--director', 'https://127.0.0.1'],
      env: { BOSH_CA_CERT: missing },
      names: 'BOSH_CA_CERT',
    },
    {
      what: 'a CA certificate path that is a directory',
      args: ['--director', 'https://127.0.0.1'],
      env: { BOSH_CA_CERT: '.' },
      names: 'BOSH_CA_CERT',
    },
    {
      what: 'a Director URL carrying the secret as user info',
      args: [],
      env: { BOSH_ENVIRONMENT: `https://admin:${SECRET}@10.0.0.1` },
      names: 'BOSH_ENVIRONMENT',
    },
    {
      what: 'a client secret flag without a client',
      args: ['--client-secret', SECRET],
      env: { BOSH_CLIENT: '' },
      names: '--client',
    },
    { what: 'an unknown flag', args: ['--prot', '4000'], env: {}, names: '--prot' },
  ];

  it.concurrent.for(cases)(
    'refuses $what with one stderr line naming $names, and no secret',
    async (c, ctx) => {
      // The secret is in the environment of every case; with a client, it is a complete pair.
      const env = { BOSH_CLIENT: 'admin', BOSH_CLIENT_SECRET: SECRET, ...c.env };
      const result = await pkg.run(['serve', ...c.args], env);
      ctx.expect(result.code).not.toBe(0);
      ctx.expect(result.signal).toBeNull();
      ctx.expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      ctx.expect(lines, result.stderr).toHaveLength(1);
      ctx.expect(lines[0]).toContain(c.names);
      ctx.expect(result.stdout + result.stderr).not.toContain(SECRET);
    },
  );
});
