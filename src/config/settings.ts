/**
 * Every setting of `serve`: its flag, its environment variable, its default and what it means, in
 * one table. Names follow bosh-cli where it has one, so its users' shells already configure us.
 */
import { DIRECTOR_DEFAULTS } from '../director/defaults.js';

/** Every default of `serve`, in one place. */
export const SERVE_DEFAULTS = {
  /** GraphQL HTTP port. */
  port: 4000,
  /** Loopback unless asked otherwise: the gateway forwards credentials. */
  host: '127.0.0.1',
  /** Requests in flight to the Director at once (the client's own default). */
  maxConcurrency: DIRECTOR_DEFAULTS.maxConcurrency,
  /** Task subscriptions poll the Director this often, as bosh-cli does. */
  pollIntervalMs: DIRECTOR_DEFAULTS.taskPollIntervalMs,
  /** After failing this long, the Director is reported unavailable. */
  unavailableAfterMs: 60_000,
  /** Serve GraphiQL. */
  graphiql: true,
  /** Compress JSON answers of 1 KiB or more for clients that accept it (README, "Compression"). */
  compressAnswers: true,
  /** Web origins besides the gateway's own whose pages may call it: none. */
  corsOrigins: [] as readonly string[],
  /** An operation's deadline: its queued and in-flight Director calls end with it. */
  requestTimeoutMs: 30_000,
  /** Estimated Director calls one operation may make (README, "Limits"). */
  maxDirectorCalls: 100,
  /** Live pollers per process. */
  maxPollers: 1000,
  /** Pollers one caller identity may watch at once. */
  maxPollersPerCaller: 50,
  /** Largest manifest (or config content) accepted, in bytes. */
  maxManifestBytes: 10 * 1024 * 1024,
} as const;

export type SettingKey =
  | 'director'
  | 'caCert'
  | 'client'
  | 'clientSecret'
  | 'port'
  | 'host'
  | 'maxConcurrency'
  | 'pollIntervalMs'
  | 'unavailableAfterMs'
  | 'graphiql'
  | 'compressAnswers'
  | 'corsOrigins'
  | 'requestTimeoutMs'
  | 'maxDirectorCalls'
  | 'maxPollers'
  | 'maxPollersPerCaller'
  | 'maxManifestBytes'
  | 'trustedDocuments'
  | 'redis'
  | 'redisPrefix';

export interface Setting {
  key: SettingKey;
  flag: string;
  env: string;
  /** `secret` values are never shown in messages. */
  kind: 'text' | 'secret' | 'integer' | 'boolean';
  /** The value's name in help, e.g. `URL`. */
  arg: string;
  help: string;
  defaultText: string;
  /** Inclusive bounds of an integer. */
  range?: readonly [min: number, max: number];
}

export const SERVE_SETTINGS: readonly Setting[] = [
  {
    key: 'director',
    flag: '--director',
    env: 'BOSH_ENVIRONMENT',
    kind: 'text',
    arg: 'URL',
    help: 'Director URL or host; https and port 25555 when not given. Plain http only for loopback hosts.',
    defaultText: 'none, which runs the simulated Director',
  },
  {
    key: 'caCert',
    flag: '--ca-cert',
    env: 'BOSH_CA_CERT',
    kind: 'text',
    arg: 'PATH|PEM',
    help: 'CA certificate of the Director (and its UAA): a file path or the PEM text itself.',
    defaultText: "the system's trusted roots",
  },
  {
    key: 'client',
    flag: '--client',
    env: 'BOSH_CLIENT',
    kind: 'text',
    arg: 'NAME',
    help: 'Client (or user) for requests that carry no Authorization header of their own.',
    defaultText: 'none',
  },
  {
    key: 'clientSecret',
    flag: '--client-secret',
    env: 'BOSH_CLIENT_SECRET',
    kind: 'secret',
    arg: 'SECRET',
    help: 'Secret of the client. Prefer the variable: flags show in process lists.',
    defaultText: 'none',
  },
  {
    key: 'port',
    flag: '--port',
    env: 'PORT',
    kind: 'integer',
    arg: 'N',
    range: [0, 65535],
    help: 'HTTP port to listen on; 0 picks a free one.',
    defaultText: String(SERVE_DEFAULTS.port),
  },
  {
    key: 'host',
    flag: '--host',
    env: 'HOST',
    kind: 'text',
    arg: 'ADDR',
    help: 'Address to listen on.',
    defaultText: SERVE_DEFAULTS.host,
  },
  {
    key: 'maxConcurrency',
    flag: '--max-concurrency',
    env: 'BOSH_GRAPHQL_MAX_CONCURRENCY',
    kind: 'integer',
    arg: 'N',
    range: [1, 1024],
    help: 'Requests in flight to the Director at once; more wait their turn.',
    defaultText: String(SERVE_DEFAULTS.maxConcurrency),
  },
  {
    key: 'pollIntervalMs',
    flag: '--poll-interval-ms',
    env: 'BOSH_GRAPHQL_POLL_INTERVAL_MS',
    kind: 'integer',
    arg: 'MS',
    range: [10, 3_600_000],
    help: 'How often task subscriptions poll the Director; also the longest pause of a task wait (VM details), which starts at 50 ms.',
    defaultText: String(SERVE_DEFAULTS.pollIntervalMs),
  },
  {
    key: 'unavailableAfterMs',
    flag: '--unavailable-after-ms',
    env: 'BOSH_GRAPHQL_UNAVAILABLE_AFTER_MS',
    kind: 'integer',
    arg: 'MS',
    range: [1, 86_400_000],
    help: 'Report the Director unavailable after failing to reach it this long.',
    defaultText: String(SERVE_DEFAULTS.unavailableAfterMs),
  },
  {
    key: 'graphiql',
    flag: '--graphiql',
    env: 'BOSH_GRAPHQL_GRAPHIQL',
    kind: 'boolean',
    arg: '[=BOOL]',
    help: 'Serve GraphiQL; --no-graphiql turns it off.',
    defaultText: `${SERVE_DEFAULTS.graphiql}, but false with --trusted-documents`,
  },
  {
    key: 'compressAnswers',
    flag: '--compress-answers',
    env: 'BOSH_GRAPHQL_COMPRESS_ANSWERS',
    kind: 'boolean',
    arg: '[=BOOL]',
    help: 'Compress JSON answers of 1 KiB or more (brotli or gzip) for clients that accept it; --no-compress-answers sends them as they are (GraphiQL stays compressed).',
    defaultText: String(SERVE_DEFAULTS.compressAnswers),
  },
  {
    key: 'corsOrigins',
    flag: '--cors-origin',
    env: 'BOSH_GRAPHQL_CORS_ORIGINS',
    kind: 'text',
    arg: 'ORIGINS',
    help: 'Web origins (comma-separated, like https://app.example.com) whose pages may call the gateway from a browser, besides its own.',
    defaultText: 'none, so only pages the gateway serves itself',
  },
  {
    key: 'requestTimeoutMs',
    flag: '--request-timeout-ms',
    env: 'BOSH_GRAPHQL_REQUEST_TIMEOUT_MS',
    kind: 'integer',
    arg: 'MS',
    range: [100, 3_600_000],
    help: 'Deadline of every query and mutation (and of each pushed subscription result): past it, its Director calls stop and it answers DIRECTOR_TIMEOUT.',
    defaultText: String(SERVE_DEFAULTS.requestTimeoutMs),
  },
  {
    key: 'maxDirectorCalls',
    flag: '--max-director-calls',
    env: 'BOSH_GRAPHQL_MAX_DIRECTOR_CALLS',
    kind: 'integer',
    arg: 'N',
    range: [1, 100_000],
    help: 'Director calls one operation may make, by the estimate made before it runs; more is QUERY_TOO_COMPLEX.',
    defaultText: String(SERVE_DEFAULTS.maxDirectorCalls),
  },
  {
    key: 'maxPollers',
    flag: '--max-pollers',
    env: 'BOSH_GRAPHQL_MAX_POLLERS',
    kind: 'integer',
    arg: 'N',
    range: [1, 1_000_000],
    help: 'Live task, task-list and audit feed pollers in this process; a subscription that needs one more is TOO_MANY_SUBSCRIPTIONS.',
    defaultText: String(SERVE_DEFAULTS.maxPollers),
  },
  {
    key: 'maxPollersPerCaller',
    flag: '--max-pollers-per-caller',
    env: 'BOSH_GRAPHQL_MAX_POLLERS_PER_CALLER',
    kind: 'integer',
    arg: 'N',
    range: [1, 1_000_000],
    help: 'Distinct tasks, task lists and audit feeds one set of credentials may watch at once (callers without any share one set).',
    defaultText: String(SERVE_DEFAULTS.maxPollersPerCaller),
  },
  {
    key: 'maxManifestBytes',
    flag: '--max-manifest-bytes',
    env: 'BOSH_GRAPHQL_MAX_MANIFEST_BYTES',
    kind: 'integer',
    arg: 'BYTES',
    range: [1024, 1024 * 1024 * 1024],
    help: 'Largest manifest accepted; requests are capped at twice this (413).',
    defaultText: `${SERVE_DEFAULTS.maxManifestBytes} (10 MiB)`,
  },
  {
    key: 'trustedDocuments',
    flag: '--trusted-documents',
    env: 'BOSH_GRAPHQL_TRUSTED_DOCUMENTS',
    kind: 'text',
    arg: 'FILE',
    help: "Run only the documents of this persisted-documents manifest (graphql-codegen's client preset writes it), sent by documentId; refuse any other operation with PERSISTED_QUERY_ONLY.",
    defaultText: 'none, so any operation runs',
  },
  {
    key: 'redis',
    flag: '--redis',
    env: 'BOSH_GRAPHQL_REDIS_URL',
    kind: 'secret',
    arg: 'URL',
    help: 'Redis (redis://[:password@]host:port[/db], or rediss:// for TLS) through which replicas share one poller per task (docs/deploy.md). Without it each replica polls on its own.',
    defaultText: 'none, so this process polls on its own',
  },
  {
    key: 'redisPrefix',
    flag: '--redis-prefix',
    env: 'BOSH_GRAPHQL_REDIS_PREFIX',
    kind: 'text',
    arg: 'TEXT',
    help: 'Start of every Redis key this gateway uses; the replicas of one Director share it, other Directors need their own.',
    defaultText: 'bosh-graphql:<hash of the Director URL>:',
  },
];

export function settingOf(key: SettingKey): Setting {
  const setting = SERVE_SETTINGS.find((s) => s.key === key);
  if (!setting) throw new Error(`unknown setting ${key}`);
  return setting;
}
