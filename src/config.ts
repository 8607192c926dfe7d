/**
 * The gateway's configuration: one typed object, read from `serve` flags and the environment. A
 * flag beats its environment variable; an empty variable counts as unset. A bad value stops
 * start-up with one `ConfigError` line that names the setting and never shows a secret. The
 * settings and their defaults are the table in `config/settings.ts`.
 */
import { HELP_FLAGS, type RawValue, readArgv } from './config/argv.js';
import { ConfigError } from './config/error.js';
import { helpText } from './config/help.js';
import {
  SERVE_DEFAULTS,
  SERVE_SETTINGS,
  type Setting,
  type SettingKey,
  settingOf,
} from './config/settings.js';
import {
  boolean,
  caCertificate,
  directorUrl,
  documentManifest,
  integer,
  origins,
  redisUrl,
  text,
} from './config/values.js';

export { ConfigError } from './config/error.js';
export { SERVE_DEFAULTS, SERVE_SETTINGS } from './config/settings.js';

/** The Director to front, ready for `new DirectorClient({ ...config.director })`. */
export interface DirectorConfig {
  /** The Director's origin, normalised: `https://host:25555`. */
  url: string;
  /** PEM text of the CA (read from the file when a path was given). */
  ca?: string;
  client?: string;
  clientSecret?: string;
}

export interface ServeConfig {
  /** Undefined when neither `--director` nor `BOSH_ENVIRONMENT` is set: the CLI then simulates one. */
  director: DirectorConfig | undefined;
  port: number;
  host: string;
  maxConcurrency: number;
  pollIntervalMs: number;
  unavailableAfterMs: number;
  graphiql: boolean;
  /** Compress large JSON answers for clients that accept it. */
  compressAnswers: boolean;
  /**
   * Web origins, besides the gateway's own, whose pages may call it from a browser (CORS with
   * credentials, and WebSocket): serialised like the `Origin` header, e.g. `https://app.example.com`.
   */
  corsOrigins: string[];
  requestTimeoutMs: number;
  maxDirectorCalls: number;
  maxPollers: number;
  maxPollersPerCaller: number;
  maxManifestBytes: number;
  /**
   * `--trusted-documents`: the manifest file and its documents (id to text). When set, only these
   * documents run, and GraphiQL is off unless asked for.
   */
  trustedDocuments: { file: string; documents: Record<string, string> } | undefined;
  /** `--redis`: share task pollers with the other replicas through this Redis. */
  redis: { url: string; prefix: string | undefined } | undefined;
  /** `--help` or `-h` was given. */
  help: boolean;
}

/** True when argv asks for help. Check it before parsing, so a bad variable cannot hide the help. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((arg) => HELP_FLAGS.has(arg));
}

/**
 * The `serve` configuration from its flags and the environment.
 * @throws ConfigError whose message is one printable line naming the bad setting.
 */
export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const flags = readArgv(argv);
  const read = <T>(key: SettingKey, convert: (setting: Setting, raw: RawValue) => T): T | undefined => {
    const setting = settingOf(key);
    const fromFlag = flags.get(setting);
    if (fromFlag !== undefined) return convert(setting, fromFlag);
    const value = env[setting.env];
    return value === undefined || value === '' ? undefined : convert(setting, { value, source: setting.env });
  };

  const url = read('director', directorUrl);
  const ca = read('caCert', caCertificate);
  const client = read('client', text);
  const clientSecret = read('clientSecret', text);
  if (client !== undefined && clientSecret === undefined) {
    throw new ConfigError(
      'Missing BOSH_CLIENT_SECRET (or --client-secret): BOSH_CLIENT is set without it',
      '--client-secret',
    );
  }
  if (client === undefined && clientSecret !== undefined) {
    throw new ConfigError('Missing BOSH_CLIENT (or --client): a client secret is set without it', '--client');
  }

  const trustedFile = read('trustedDocuments', text);
  const trusted =
    trustedFile === undefined
      ? undefined
      : {
          file: trustedFile,
          documents: read('trustedDocuments', documentManifest)!,
        };

  return {
    director:
      url === undefined
        ? undefined
        : {
            url,
            ...(ca === undefined ? {} : { ca }),
            ...(client === undefined ? {} : { client }),
            ...(clientSecret === undefined ? {} : { clientSecret }),
          },
    port: read('port', integer) ?? SERVE_DEFAULTS.port,
    host: read('host', text) ?? SERVE_DEFAULTS.host,
    maxConcurrency: read('maxConcurrency', integer) ?? SERVE_DEFAULTS.maxConcurrency,
    pollIntervalMs: read('pollIntervalMs', integer) ?? SERVE_DEFAULTS.pollIntervalMs,
    unavailableAfterMs: read('unavailableAfterMs', integer) ?? SERVE_DEFAULTS.unavailableAfterMs,
    // GraphiQL runs arbitrary operations, which trusted documents refuse: off unless asked for.
    graphiql: read('graphiql', boolean) ?? (trusted === undefined ? SERVE_DEFAULTS.graphiql : false),
    compressAnswers: read('compressAnswers', boolean) ?? SERVE_DEFAULTS.compressAnswers,
    corsOrigins: read('corsOrigins', origins) ?? [...SERVE_DEFAULTS.corsOrigins],
    requestTimeoutMs: read('requestTimeoutMs', integer) ?? SERVE_DEFAULTS.requestTimeoutMs,
    maxDirectorCalls: read('maxDirectorCalls', integer) ?? SERVE_DEFAULTS.maxDirectorCalls,
    maxPollers: read('maxPollers', integer) ?? SERVE_DEFAULTS.maxPollers,
    maxPollersPerCaller: read('maxPollersPerCaller', integer) ?? SERVE_DEFAULTS.maxPollersPerCaller,
    maxManifestBytes: read('maxManifestBytes', integer) ?? SERVE_DEFAULTS.maxManifestBytes,
    trustedDocuments: trusted,
    redis: redisConfig(read('redis', redisUrl), read('redisPrefix', text)),
    help: wantsHelp(argv),
  };
}

function redisConfig(url: string | undefined, prefix: string | undefined): ServeConfig['redis'] {
  if (url === undefined) {
    if (prefix !== undefined) {
      throw new ConfigError(
        'Missing BOSH_GRAPHQL_REDIS_URL (or --redis): a Redis key prefix is set without it',
        '--redis',
      );
    }
    return undefined;
  }
  return { url, prefix };
}

/** The `serve --help` text: every flag, its environment variable, what it does and its default. */
export function serveHelp(): string {
  return helpText({
    usage: 'bosh-graphql serve [flags]',
    about: [
      'Runs the GraphQL gateway in front of a BOSH Director. Every flag can also be set with the',
      'environment variable beside it; a flag beats its variable.',
    ],
    entries: SERVE_SETTINGS.map((s) => ({
      name: `${s.flag}${s.arg.startsWith('[') ? s.arg : ` ${s.arg}`}`,
      env: s.env,
      help: s.help,
      defaultText: s.defaultText,
    })),
  });
}
