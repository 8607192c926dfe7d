/**
 * The `bosh-graphql` command before it serves anything: the build step of `npm start`, help,
 * usage, and refusing bad settings. Each case runs the real launcher as a child process.
 */
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
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
      expect(entry).toContain(`(env ${flag.env})`);
      expect(entry).toContain(`Default: ${flag.fallback}.`);
    }
  });

  it('serve, simulate and schema lay out their help alike: usage, what it does, then each flag and its text', async () => {
    const helps = await Promise.all(['serve', 'simulate', 'schema'].map((c) => pkg.run([c, '--help'])));
    for (const [i, command] of ['serve', 'simulate', 'schema'].entries()) {
      const lines = helps[i]!.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`Usage: bosh-graphql ${command} [flags]`);
      expect(lines[1]).toBe('');
      const flags = lines.indexOf('Flags:');
      expect(flags, command).toBeGreaterThan(2);
      expect(lines[flags - 1]).toBe('');
      const entries = lines.slice(flags + 1);
      expect(entries.length % 2, command).toBe(0);
      for (let at = 0; at < entries.length; at += 2) {
        expect(entries[at], command).toMatch(/^ {2}-/);
        expect(entries[at + 1], command).toMatch(/^ {6}\S.*\.$/);
      }
      expect(entries.slice(-2)).toEqual(['  -h, --help', '      Show this help.']);
    }
  });

  it('serve, simulate and schema refuse an unknown flag alike: one line naming it, exit 2', async () => {
    const replies = await Promise.all(
      ['serve', 'simulate', 'schema'].map((c) => pkg.run([c, '--prot', '1'])),
    );
    for (const [i, command] of ['serve', 'simulate', 'schema'].entries()) {
      const reply = replies[i]!;
      expect(reply.code, command).toBe(2);
      expect(reply.stdout).toBe('');
      expect(reply.stderr).toBe(`bosh-graphql ${command}: Unknown flag --prot (see --help)\n`);
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

describe('schema', () => {
  const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');

  it('prints the whole SDL, the same text as the committed schema.graphql', async () => {
    const result = await pkg.run(['schema']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(committed);
    expect(result.stdout).toContain('type Subscription {');
  });

  it('--check passes on a fresh copy and fails with one line on a stale one', async () => {
    const fresh = join(pkg.root, 'fresh.graphql');
    const stale = join(pkg.root, 'stale.graphql');
    writeFileSync(fresh, committed);
    writeFileSync(stale, committed.replace('type Subscription {', 'type Subscription {\n  gone: Int'));
    const [ok, bad, missing] = await Promise.all([
      pkg.run(['schema', '--check', fresh]),
      pkg.run(['schema', '--check', stale]),
      pkg.run(['schema', '--check', join(pkg.root, 'nope.graphql')]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`bosh-graphql schema: ${stale} is stale: run npm run schema\n`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.graphql is missing/);
  });

  it('--out writes the SDL to a file', async () => {
    const out = join(pkg.root, 'out.graphql');
    const result = await pkg.run(['schema', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(committed);
  });
});

describe('a port in use', () => {
  it('stops serve and simulate with one line that names the address, no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = String((blocker.address() as AddressInfo).port);
    try {
      const [serve, simulate] = await Promise.all([
        pkg.run(['serve', '--port', port]),
        pkg.run(['simulate', '--http', '--port', port]),
      ]);
      expect(serve.code).toBe(1);
      expect(serve.stderr).toBe(`bosh-graphql serve: cannot listen on 127.0.0.1:${port} (EADDRINUSE)\n`);
      expect(simulate.code).toBe(1);
      expect(simulate.stderr).toBe(
        `bosh-graphql simulate: cannot listen on 127.0.0.1:${port} (EADDRINUSE)\n`,
      );
      expect(serve.stdout + simulate.stdout).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
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
      names: "BOSH_CA_CERT: '/nonexistent-bosh-graphql-test/ca.pem' is neither a readable file nor PEM text",
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
