import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseServeConfig, SERVE_DEFAULTS, serveHelp, wantsHelp } from '../src/config.js';
import { makeCa } from './helpers/test-ca.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseServeConfig', () => {
  let dir: string;
  let caPem: string;
  let caPath: string;
  let notPemPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosh-graphql-config-'));
    caPem = (await makeCa()).certPem;
    caPath = join(dir, 'ca.pem');
    notPemPath = join(dir, 'not-a-cert.txt');
    await writeFile(caPath, caPem);
    await writeFile(notPemPath, 'hello\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the named defaults when nothing is set, with no Director', () => {
    expect(parseServeConfig([], {})).toEqual({
      director: undefined,
      port: 4000,
      host: '127.0.0.1',
      maxConcurrency: 32,
      pollIntervalMs: 500,
      unavailableAfterMs: 60_000,
      graphiql: true,
      compressAnswers: true,
      corsOrigins: [],
      requestTimeoutMs: 30_000,
      maxDirectorCalls: 100,
      maxPollers: 1000,
      maxPollersPerCaller: 50,
      maxManifestBytes: 10 * 1024 * 1024,
      help: false,
    });
    expect(SERVE_DEFAULTS).toMatchObject({ port: 4000, host: '127.0.0.1', maxConcurrency: 32 });
  });

  it("reads bosh-cli's variables and the gateway's own from the environment", () => {
    const config = parseServeConfig([], {
      BOSH_ENVIRONMENT: 'https://10.0.0.6:25555',
      BOSH_CA_CERT: caPem,
      BOSH_CLIENT: 'admin',
      BOSH_CLIENT_SECRET: 'env-secret',
      PORT: '8080',
      HOST: '0.0.0.0',
      BOSH_GRAPHQL_MAX_CONCURRENCY: '8',
      BOSH_GRAPHQL_POLL_INTERVAL_MS: '250',
      BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS: '5000',
      BOSH_GRAPHQL_GRAPHIQL: 'false',
      BOSH_GRAPHQL_CORS_ORIGINS: 'https://app.example.com,http://localhost:3000',
      BOSH_GRAPHQL_REQUEST_TIMEOUT_MS: '5000',
      BOSH_GRAPHQL_MAX_DIRECTOR_CALLS: '40',
      BOSH_GRAPHQL_MAX_POLLERS: '200',
      BOSH_GRAPHQL_MAX_POLLERS_PER_CALLER: '5',
      BOSH_GRAPHQL_MAX_MANIFEST_BYTES: '65536',
    });
    expect(config).toEqual({
      director: { url: 'https://10.0.0.6:25555', ca: caPem, client: 'admin', clientSecret: 'env-secret' },
      port: 8080,
      host: '0.0.0.0',
      maxConcurrency: 8,
      pollIntervalMs: 250,
      unavailableAfterMs: 5000,
      graphiql: false,
      compressAnswers: true,
      corsOrigins: ['https://app.example.com', 'http://localhost:3000'],
      requestTimeoutMs: 5000,
      maxDirectorCalls: 40,
      maxPollers: 200,
      maxPollersPerCaller: 5,
      maxManifestBytes: 65536,
      help: false,
    });
  });

  it('lets every flag beat its environment variable', () => {
    const env = {
      BOSH_ENVIRONMENT: '10.0.0.6',
      BOSH_CA_CERT: join(dir, 'missing.pem'),
      BOSH_CLIENT: 'env-client',
      BOSH_CLIENT_SECRET: 'env-secret',
      PORT: 'not a port',
      HOST: '0.0.0.0',
      BOSH_GRAPHQL_MAX_CONCURRENCY: '0',
      BOSH_GRAPHQL_POLL_INTERVAL_MS: 'x',
      BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS: 'x',
      BOSH_GRAPHQL_GRAPHIQL: 'maybe',
      BOSH_GRAPHQL_CORS_ORIGINS: '*',
      BOSH_GRAPHQL_REQUEST_TIMEOUT_MS: 'x',
      BOSH_GRAPHQL_MAX_DIRECTOR_CALLS: '0',
      BOSH_GRAPHQL_MAX_POLLERS: 'x',
      BOSH_GRAPHQL_MAX_POLLERS_PER_CALLER: 'x',
      BOSH_GRAPHQL_MAX_MANIFEST_BYTES: '1',
    };
    const config = parseServeConfig(
      [
        '--director',
        '10.0.0.7:8443',
        '--ca-cert',
        caPath,
        '--client',
        'flag-client',
        '--client-secret',
        'flag-secret',
        '--port',
        '9090',
        '--host',
        '127.0.0.2',
        '--max-concurrency',
        '4',
        '--poll-interval-ms',
        '1000',
        '--unavailable-after-ms',
        '120000',
        '--no-graphiql',
        '--cors-origin',
        'https://ui.example.com',
        '--request-timeout-ms',
        '2000',
        '--max-director-calls',
        '7',
        '--max-pollers',
        '9',
        '--max-pollers-per-caller',
        '3',
        '--max-manifest-bytes',
        '4096',
      ],
      env,
    );
    expect(config).toEqual({
      director: {
        url: 'https://10.0.0.7:8443',
        ca: caPem,
        client: 'flag-client',
        clientSecret: 'flag-secret',
      },
      port: 9090,
      host: '127.0.0.2',
      maxConcurrency: 4,
      pollIntervalMs: 1000,
      unavailableAfterMs: 120_000,
      graphiql: false,
      compressAnswers: true,
      corsOrigins: ['https://ui.example.com'],
      requestTimeoutMs: 2000,
      maxDirectorCalls: 7,
      maxPollers: 9,
      maxPollersPerCaller: 3,
      maxManifestBytes: 4096,
      help: false,
    });
  });

  it('accepts --flag=value and reads boolean flags bare, negated or with a value', () => {
    expect(parseServeConfig(['--port=0', '--director=127.0.0.1'], {})).toMatchObject({
      port: 0,
      director: { url: 'https://127.0.0.1:25555' },
    });
    expect(parseServeConfig(['--graphiql'], { BOSH_GRAPHQL_GRAPHIQL: 'false' }).graphiql).toBe(true);
    expect(parseServeConfig(['--graphiql=no'], {}).graphiql).toBe(false);
    expect(parseServeConfig(['--no-graphiql'], {}).graphiql).toBe(false);
    expect(parseServeConfig(['--no-compress-answers'], {}).compressAnswers).toBe(false);
    expect(parseServeConfig([], { BOSH_GRAPHQL_COMPRESS_ANSWERS: 'false' }).compressAnswers).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(parseServeConfig([], { BOSH_ENVIRONMENT: '', PORT: '', BOSH_CA_CERT: '' })).toMatchObject({
      director: undefined,
      port: 4000,
    });
  });

  it.each([
    ['10.0.0.6', 'https://10.0.0.6:25555'],
    ['bosh.example.com', 'https://bosh.example.com:25555'],
    ['bosh.example.com:443', 'https://bosh.example.com'],
    ['http://127.0.0.1:25555', 'http://127.0.0.1:25555'],
  ])('reads the Director %s as %s', (value, url) => {
    expect(parseServeConfig([], { BOSH_ENVIRONMENT: value }).director?.url).toBe(url);
  });

  it.each([
    ['https://app.example.com', ['https://app.example.com']],
    ['https://App.Example.com:443/', ['https://app.example.com']],
    [
      'http://localhost:3000, https://ui.example.com:8443',
      ['http://localhost:3000', 'https://ui.example.com:8443'],
    ],
    ['http://[::1]:5173\nhttp://127.0.0.1:5173,', ['http://[::1]:5173', 'http://127.0.0.1:5173']],
    ['https://a.example,https://a.example', ['https://a.example']],
  ])('reads the CORS origins %j as they appear in Origin headers', (value, expected) => {
    expect(parseServeConfig([], { BOSH_GRAPHQL_CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
    expect(parseServeConfig([`--cors-origin=${value}`], {}).corsOrigins).toEqual(expected);
  });

  it('takes the CA as PEM text or as a path to a PEM file', () => {
    expect(parseServeConfig([], { BOSH_ENVIRONMENT: '10.0.0.6', BOSH_CA_CERT: caPem }).director?.ca).toBe(
      caPem,
    );
    expect(parseServeConfig(['--ca-cert', caPath], { BOSH_ENVIRONMENT: '10.0.0.6' }).director?.ca).toBe(
      caPem,
    );
  });

  it('sets help for --help and -h, and wantsHelp sees it before any parsing', () => {
    expect(parseServeConfig(['--help'], {}).help).toBe(true);
    expect(parseServeConfig(['-h'], {}).help).toBe(true);
    expect(wantsHelp(['--port', 'bad', '-h'])).toBe(true);
    expect(wantsHelp(['--port', '1'])).toBe(false);
  });

  describe('a bad value stops start-up with one line naming the setting', () => {
    it.each([
      [
        'an unreadable CA file',
        [],
        () => ({ BOSH_CA_CERT: join(dir, 'missing.pem') }),
        'BOSH_CA_CERT',
        /is neither a readable file nor PEM text \(ENOENT\)/,
      ],
      [
        'a CA file without a certificate',
        ['--ca-cert', '<notPem>'],
        () => ({}),
        '--ca-cert',
        /no PEM certificate/,
      ],
      [
        'malformed PEM text',
        [],
        () => ({ BOSH_CA_CERT: '-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----' }),
        'BOSH_CA_CERT',
        /malformed certificate/,
      ],
      [
        'a malformed URL',
        [],
        () => ({ BOSH_ENVIRONMENT: 'https://exa mple.com' }),
        'BOSH_ENVIRONMENT',
        /not a URL/,
      ],
      [
        'a malformed URL as a flag',
        ['--director', 'https://'],
        () => ({}),
        '--director',
        /not a URL|no host/,
      ],
      [
        'plain http to another host',
        [],
        () => ({ BOSH_ENVIRONMENT: 'http://10.0.0.6:25555' }),
        'BOSH_ENVIRONMENT',
        /plain http.*loopback/,
      ],
      ['a port above 65535', [], () => ({ PORT: '65536' }), 'PORT', /0 to 65535/],
      ['a negative port', ['--port', '-1'], () => ({}), '--port', /0 to 65535/],
      ['a port that is not a number', ['--port=80a'], () => ({}), '--port', /0 to 65535/],
      [
        'a zero concurrency cap',
        [],
        () => ({ BOSH_GRAPHQL_MAX_CONCURRENCY: '0' }),
        'BOSH_GRAPHQL_MAX_CONCURRENCY',
        /1 to/,
      ],
      [
        'a poll interval that is not a number',
        ['--poll-interval-ms', 'fast'],
        () => ({}),
        '--poll-interval-ms',
        /whole number/,
      ],
      [
        'an unavailable-after of zero',
        [],
        () => ({ BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS: '0' }),
        'BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS',
        /1 to/,
      ],
      [
        'a GraphiQL switch that is not a boolean',
        [],
        () => ({ BOSH_GRAPHQL_GRAPHIQL: 'maybe' }),
        'BOSH_GRAPHQL_GRAPHIQL',
        /true or false/,
      ],
      ['an empty host', ['--host', ' '], () => ({}), '--host', /empty/],
      [
        'a CORS origin with a path',
        [],
        () => ({ BOSH_GRAPHQL_CORS_ORIGINS: 'https://app.example.com,https://ui.example.com/app' }),
        'BOSH_GRAPHQL_CORS_ORIGINS',
        /'https:\/\/ui\.example\.com\/app' is not a web origin/,
      ],
      [
        'a CORS origin without a scheme',
        ['--cors-origin', 'app.example.com'],
        () => ({}),
        '--cors-origin',
        /'app\.example\.com' is not a web origin/,
      ],
      [
        'a CORS origin that is not http or https',
        ['--cors-origin=ftp://app.example.com'],
        () => ({}),
        '--cors-origin',
        /not a web origin/,
      ],
      [
        'a wildcard CORS origin',
        [],
        () => ({ BOSH_GRAPHQL_CORS_ORIGINS: '*' }),
        'BOSH_GRAPHQL_CORS_ORIGINS',
        /any web page/,
      ],
      [
        'a CORS origin list of only commas',
        ['--cors-origin', ',,'],
        () => ({}),
        '--cors-origin',
        /names no origin/,
      ],
      ['an unknown flag', ['--directr', 'x'], () => ({}), '--directr', /Unknown flag/],
      ['a flag without its value', ['--port'], () => ({}), '--port', /needs a value/],
      ['a stray argument', ['serve-now'], () => ({}), 'serve-now', /Unexpected argument/],
    ])('for %s', (_what, argv, env, names, reason) => {
      const args = argv.map((a) => (a === '<notPem>' ? notPemPath : a));
      const error = configError(() => parseServeConfig(args, env()));
      expect(error.message).toContain(names);
      expect(error.message).toMatch(reason);
      expect(error.message).not.toContain('\n');
    });

    it('for a client without its secret, and a secret without its client, never showing the secret', () => {
      const noSecret = configError(() => parseServeConfig([], { BOSH_CLIENT: 'admin' }));
      expect(noSecret.message).toMatch(/BOSH_CLIENT_SECRET/);
      const noClient = configError(() => parseServeConfig(['--client-secret', 'hunter2'], {}));
      expect(noClient.message).toMatch(/BOSH_CLIENT\b/);
      expect(noClient.message).not.toContain('hunter2');
    });

    it('without showing a secret that is itself the bad value', () => {
      const error = configError(() => parseServeConfig(['--client', 'admin', '--client-secret', ' '], {}));
      expect(error.message).toContain('--client-secret');
      expect(error.setting).toBe('--client-secret');
    });

    it('without echoing credentials written into a CORS origin', () => {
      const error = configError(() =>
        parseServeConfig(['--cors-origin', 'https://app.example.com,https://me:hunter2@ui.example.com'], {}),
      );
      expect(error.message).toMatch(/--cors-origin: an entry with user info is not a web origin/);
      expect(error.message).not.toContain('hunter2');
    });

    it('without echoing credentials written into the Director URL', () => {
      const error = configError(() =>
        parseServeConfig([], { BOSH_ENVIRONMENT: 'https://admin:hunter2@10.0.0.6' }),
      );
      expect(error.message).toContain('BOSH_ENVIRONMENT');
      expect(error.message).not.toContain('hunter2');
    });
  });
});

describe('serveHelp', () => {
  it('lists every flag with its environment variable and its default', () => {
    const help = serveHelp();
    const expected: [string, string, string][] = [
      ['--director', 'BOSH_ENVIRONMENT', 'simulated Director'],
      ['--ca-cert', 'BOSH_CA_CERT', 'system'],
      ['--client', 'BOSH_CLIENT', 'none'],
      ['--client-secret', 'BOSH_CLIENT_SECRET', 'none'],
      ['--port', 'PORT', '4000'],
      ['--host', 'HOST', '127.0.0.1'],
      ['--max-concurrency', 'BOSH_GRAPHQL_MAX_CONCURRENCY', '32'],
      ['--poll-interval-ms', 'BOSH_GRAPHQL_POLL_INTERVAL_MS', '500'],
      ['--unavailable-after-ms', 'BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS', '60000'],
      ['--graphiql', 'BOSH_GRAPHQL_GRAPHIQL', 'true'],
      ['--compress-answers', 'BOSH_GRAPHQL_COMPRESS_ANSWERS', 'true'],
      ['--cors-origin', 'BOSH_GRAPHQL_CORS_ORIGINS', 'none'],
      ['--trusted-documents', 'BOSH_GRAPHQL_TRUSTED_DOCUMENTS', 'none'],
    ];
    const lines = help.split('\n');
    for (const [flag, env, def] of expected) {
      const at = lines.findIndex(
        (l) => l.trimStart().startsWith(`${flag} `) || l.trimStart().startsWith(`${flag}[`),
      );
      expect(at, flag).toBeGreaterThan(-1);
      expect(lines[at]).toContain(env);
      expect(lines[at + 1]).toContain(`Default: ${def}`.slice(0, 9));
      expect(lines[at + 1]).toContain(def);
    }
    expect(help).toContain('--help');
  });
});

describe('--trusted-documents', () => {
  let dir: string;
  const manifest = { 'sha256:abc': 'query A { director { name } }' };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bosh-graphql-trusted-'));
    await writeFile(join(dir, 'persisted-documents.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'list.json'), JSON.stringify(['query A { director { name } }']));
    await writeFile(join(dir, 'broken.json'), '{"sha256:abc": ');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the manifest from the flag or BOSH_GRAPHQL_TRUSTED_DOCUMENTS, and turns GraphiQL off', () => {
    const file = join(dir, 'persisted-documents.json');
    for (const config of [
      parseServeConfig(['--trusted-documents', file], {}),
      parseServeConfig([], { BOSH_GRAPHQL_TRUSTED_DOCUMENTS: file }),
    ]) {
      expect(config.trustedDocuments).toEqual({ file, documents: manifest });
      expect(config.graphiql).toBe(false);
    }
    expect(parseServeConfig([], {}).trustedDocuments).toBeUndefined();
  });

  it('keeps GraphiQL on when it is asked for', () => {
    const file = join(dir, 'persisted-documents.json');
    expect(parseServeConfig(['--trusted-documents', file, '--graphiql'], {}).graphiql).toBe(true);
    expect(
      parseServeConfig([], { BOSH_GRAPHQL_TRUSTED_DOCUMENTS: file, BOSH_GRAPHQL_GRAPHIQL: 'true' }).graphiql,
    ).toBe(true);
  });

  it('refuses a missing file, and a file that is not a manifest of id to document, in one line', () => {
    expect(
      configError(() => parseServeConfig(['--trusted-documents', join(dir, 'nope.json')], {})).message,
    ).toBe(`Invalid --trusted-documents: cannot read the file '${join(dir, 'nope.json')}' (ENOENT)`);
    for (const name of ['list.json', 'broken.json']) {
      const error = configError(() =>
        parseServeConfig([], { BOSH_GRAPHQL_TRUSTED_DOCUMENTS: join(dir, name) }),
      );
      expect(error.message).toMatch(
        /^Invalid BOSH_GRAPHQL_TRUSTED_DOCUMENTS: .* is not a persisted-documents manifest/,
      );
      expect(error.setting).toBe('--trusted-documents');
    }
  });
});

describe('--redis', () => {
  it('is off by default, and reads the URL and prefix from flags or the environment', () => {
    expect(parseServeConfig([], {}).redis).toBeUndefined();
    expect(parseServeConfig(['--redis', 'redis://:pw@cache:6380/2'], {}).redis).toEqual({
      url: 'redis://:pw@cache:6380/2',
      prefix: undefined,
    });
    expect(
      parseServeConfig([], { BOSH_GRAPHQL_REDIS_URL: 'rediss://cache', BOSH_GRAPHQL_REDIS_PREFIX: 'p:' })
        .redis,
    ).toEqual({ url: 'rediss://cache', prefix: 'p:' });
  });

  it('refuses a URL that is not Redis without showing it, and a prefix without a URL', () => {
    const bad = configError(() => parseServeConfig(['--redis', 'http://:hunter2@cache'], {}));
    expect(bad.message).toMatch(/--redis/);
    expect(bad.message).not.toContain('hunter2');
    const alone = configError(() => parseServeConfig(['--redis-prefix', 'p:'], {}));
    expect(alone.message).toMatch(/BOSH_GRAPHQL_REDIS_URL/);
  });
});
