/**
 * Every default of the Director client, named and explained in one place. Options in
 * `DirectorClientOptions` fall back to these; the gateway's configuration reuses some of them.
 */
export const DIRECTOR_DEFAULTS = {
  /** bosh-cli's port when the environment names only a host (docs/director-api-notes.md §1). */
  port: 25555,
  /** Requests in flight to one Director at a time; more wait their turn (§10). */
  maxConcurrency: 32,
  /** TCP connect plus TLS handshake. A Director that cannot shake hands in 10 s is not there. */
  connectTimeoutMs: 10_000,
  /** Time to the response head. Listing a large Director's deployments can take tens of seconds. */
  headersTimeoutMs: 60_000,
  /** Longest silence while a body streams in. */
  bodyTimeoutMs: 60_000,
  /** Retries of an idempotent GET after a 502/503/504 or a refused/reset connection (§7). */
  retries: 3,
  /** First backoff; it doubles on every retry. */
  retryBaseDelayMs: 200,
  /** No backoff grows past this. */
  retryMaxDelayMs: 2_000,
  /** A `Retry-After` longer than this is cut to it, so one answer cannot park a request for minutes. */
  retryAfterMaxMs: 10_000,
  /** bosh-cli's task poll interval (§2); the longest pause of a task wait. */
  taskPollIntervalMs: 500,
  /**
   * The first pause of a task wait, doubled at each poll up to `taskPollIntervalMs`: a `vms` task
   * of a small deployment ends within tens of ms, and should not cost a whole interval of waiting.
   */
  taskFirstPollMs: 50,
  /** A UAA token is renewed this long before it expires, or 10 % of its lifetime if that is shorter (§6). */
  tokenRefreshEarlyMs: 30_000,
  tokenRefreshEarlyFraction: 0.1,
  /** Largest response body accepted; a `vms?format=full` result of a big deployment is a few MiB. */
  maxResponseBytes: 64 * 1024 * 1024,
  /**
   * Most bytes one ranged task output read asks for (`Range: bytes=N-M`, §3). Debug logs of big
   * deploys can outgrow `maxResponseBytes`, so a tail reads them in chunks of this size (never
   * more than `maxResponseBytes`).
   */
  outputChunkBytes: 4 * 1024 * 1024,
  /**
   * How long `vms?format=full` and `instances?format=full` wait for their `vms` task when the caller
   * names no deadline (§4). Agents that do not answer time out on the Director after about 45 s.
   */
  vmsTaskTimeoutMs: 120_000,
  /** The Director refuses longer `X-Bosh-Context-Id` values with error 70010 (§9). */
  maxContextIdLength: 64,
} as const;
