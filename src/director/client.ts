/**
 * The Director REST client. One `DirectorClient` per Director holds what is shared and carries no
 * user data: the connection pool, the cap on requests in flight, the Director's auth mode and the
 * configured client's UAA token. Calls are made through `forCaller(authorization)`, which binds
 * one caller's credentials to a `DirectorApi` (docs/director-api-notes.md §6).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { DirectorApi } from './api.js';
import {
  AuthModeLookup,
  anonymousCredentials,
  type Credentials,
  configuredClientCredentials,
  forwardedCredentials,
} from './auth.js';
import type { BreakerOptions, BreakerState } from './breaker.js';
import { CallerApi, type CallerSettings } from './caller.js';
import { DIRECTOR_DEFAULTS } from './defaults.js';
import type { DirectorError } from './errors.js';
import type { FairQueueStats } from './fair-queue.js';
import { type DirectorRequestEvent, Transport } from './http.js';
import { Requester } from './requester.js';
import { type RetryOptions, retryPolicy } from './retry.js';
import { CallScope, type CallScopeOptions } from './scope.js';
import { UaaTokens } from './uaa.js';
import { parseDirectorUrl } from './url.js';

export interface DirectorTimeouts {
  /** TCP connect plus TLS handshake, in ms. @default 10000 */
  connectMs?: number;
  /** Until the response head arrives, in ms. @default 60000 */
  headersMs?: number;
  /** Longest silence while the body streams in, in ms. @default 60000 */
  bodyMs?: number;
}

export interface DirectorClientOptions {
  /**
   * The Director, written as bosh-cli accepts it: a URL or a bare host (`10.0.0.6`, `host:25555`).
   * No scheme means https, no port means 25555. Plain http only for loopback hosts.
   */
  url: string | URL;
  /** PEM of the CA that signed the Director's (and UAA's) certificate. @default the system roots */
  ca?: string;
  /** Client name, used for callers that send no Authorization of their own. */
  client?: string;
  /** Client secret, given together with `client`. */
  clientSecret?: string;
  /** Requests in flight to this Director at most; more wait. @default 32 */
  maxConcurrency?: number;
  /**
   * Requests of one route (path template) in flight at most, so that a slow or hung route cannot
   * take every slot (§13). @default half of `maxConcurrency`
   */
  maxConcurrencyPerRoute?: number;
  /** The circuit breaker: when it opens, and for how long (§13). */
  breaker?: BreakerOptions;
  timeouts?: DirectorTimeouts;
  /** Retries of idempotent GETs (docs/director-api-notes.md §7). */
  retry?: RetryOptions;
  /**
   * Longest interval of `waitForTask` polls, in ms. The first pause is `taskFirstPollMs` and each
   * next one doubles up to this. @default 500
   */
  taskPollIntervalMs?: number;
  /** First pause of `waitForTask`, in ms (at most `taskPollIntervalMs`). @default 50 */
  taskFirstPollMs?: number;
  /** Largest response body accepted, in bytes; larger ones fail with RESPONSE_TOO_LARGE. @default 64 MiB */
  maxResponseBytes?: number;
  /**
   * Most bytes one ranged task output read asks for: tails read outputs of any size in chunks of
   * this many bytes. Cut to `maxResponseBytes` when larger. @default 4 MiB
   */
  outputChunkBytes?: number;
  /**
   * How long `listVmsFull` and `listInstancesFull` wait for their `vms` task when the call names no
   * `timeoutMs`; then they fail with DIRECTOR_TIMEOUT. @default 120000
   */
  vmsTaskTimeoutMs?: number;
  /** Renew UAA tokens this long before they expire (or 10 % of their lifetime if shorter). @default 30000 */
  tokenRefreshEarlyMs?: number;
  /**
   * Called when the Director refuses the configured client's credentials after accepting them (or
   * on the first refusal), and when it accepts them again: the operator must hear of it (§13).
   */
  onConfiguredClient?: (accepted: boolean) => void;
  /**
   * Called after every HTTP attempt, for metrics. Receives method, route template, status and
   * duration, never credentials, hosts or bodies. Exceptions it throws are ignored.
   */
  onRequest?: (event: DirectorRequestEvent) => void;
  /** Clock in ms, for token expiry and task wait deadlines. Tests replace it. @default Date.now */
  now?: () => number;
  /** Waits for backoffs and polls. Tests replace it to record delays. @default timers' setTimeout */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : undefined);

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`DirectorClient: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export class DirectorClient {
  /** The Director's origin, e.g. `https://10.0.0.6:25555`. */
  readonly origin: string;
  readonly #transport: Transport;
  readonly #configured: Credentials | undefined;
  readonly #settings: CallerSettings;
  #configuredStatus: 'unknown' | 'accepted' | 'refused' = 'unknown';
  readonly #onConfiguredClient: ((accepted: boolean) => void) | undefined;
  readonly #outcome = (source: Credentials['source'], accepted: boolean) => {
    if (source !== 'configured') return;
    const status = accepted ? 'accepted' : 'refused';
    if (status === this.#configuredStatus) return;
    const before = this.#configuredStatus;
    this.#configuredStatus = status;
    // A first acceptance is no news; a refusal, or a recovery from one, is.
    if (before !== 'unknown' || !accepted) this.#onConfiguredClient?.(accepted);
  };

  /** @throws DirectorUrlError for an unusable URL (including http to a non-loopback host). */
  constructor(options: DirectorClientOptions) {
    this.origin = parseDirectorUrl(options.url);
    if ((options.client === undefined) !== (options.clientSecret === undefined)) {
      throw new TypeError('DirectorClient: client and clientSecret must be given together');
    }
    this.#onConfiguredClient = options.onConfiguredClient;
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? defaultSleep;
    const timeouts = options.timeouts ?? {};
    const maxResponseBytes = positiveInteger(
      options.maxResponseBytes,
      'maxResponseBytes',
      DIRECTOR_DEFAULTS.maxResponseBytes,
    );
    this.#transport = new Transport({
      origin: this.origin,
      ca: options.ca,
      maxConcurrency: positiveInteger(
        options.maxConcurrency,
        'maxConcurrency',
        DIRECTOR_DEFAULTS.maxConcurrency,
      ),
      connectTimeoutMs: positiveInteger(
        timeouts.connectMs,
        'timeouts.connectMs',
        DIRECTOR_DEFAULTS.connectTimeoutMs,
      ),
      headersTimeoutMs: positiveInteger(
        timeouts.headersMs,
        'timeouts.headersMs',
        DIRECTOR_DEFAULTS.headersTimeoutMs,
      ),
      bodyTimeoutMs: positiveInteger(timeouts.bodyMs, 'timeouts.bodyMs', DIRECTOR_DEFAULTS.bodyTimeoutMs),
      maxResponseBytes,
      maxConcurrencyPerRoute:
        options.maxConcurrencyPerRoute === undefined
          ? undefined
          : positiveInteger(options.maxConcurrencyPerRoute, 'maxConcurrencyPerRoute', 1),
      retry: retryPolicy(options.retry),
      breaker: options.breaker,
      onRequest: options.onRequest,
      sleep,
      now,
    });
    this.#settings = {
      intervalMs: positiveInteger(
        options.taskPollIntervalMs,
        'taskPollIntervalMs',
        DIRECTOR_DEFAULTS.taskPollIntervalMs,
      ),
      firstIntervalMs: positiveInteger(
        options.taskFirstPollMs,
        'taskFirstPollMs',
        DIRECTOR_DEFAULTS.taskFirstPollMs,
      ),
      sleep,
      now,
      // A chunk must fit in one answer, or no output larger than it could ever be read (§3).
      outputChunkBytes: Math.min(
        positiveInteger(options.outputChunkBytes, 'outputChunkBytes', DIRECTOR_DEFAULTS.outputChunkBytes),
        maxResponseBytes,
      ),
      vmsTaskTimeoutMs: positiveInteger(
        options.vmsTaskTimeoutMs,
        'vmsTaskTimeoutMs',
        DIRECTOR_DEFAULTS.vmsTaskTimeoutMs,
      ),
    };
    if (options.client !== undefined && options.clientSecret !== undefined) {
      // The auth mode is looked up anonymously: /info needs no credentials (§6).
      const anonymous = this.#api(anonymousCredentials, new CallScope());
      const modes = new AuthModeLookup(() => anonymous.info());
      const tokens = new UaaTokens({
        clientId: options.client,
        clientSecret: options.clientSecret,
        transport: this.#transport,
        now,
        ...(options.tokenRefreshEarlyMs === undefined ? {} : { refreshEarlyMs: options.tokenRefreshEarlyMs }),
      });
      this.#configured = configuredClientCredentials(options.client, options.clientSecret, modes, tokens);
    }
  }

  /** True when the Director is reached over plain http (only ever loopback, e.g. the simulated Director). */
  get insecure(): boolean {
    return this.origin.startsWith('http:');
  }

  /** True when a client is configured for callers without credentials of their own. */
  get hasConfiguredClient(): boolean {
    return this.#configured !== undefined;
  }

  /** What the Director last said of the configured client's credentials. */
  get configuredClientStatus(): 'unknown' | 'accepted' | 'refused' {
    return this.#configuredStatus;
  }

  /** The circuit breaker's state (§13): `open` while calls fail fast. */
  get breakerState(): BreakerState {
    return this.#transport.breakerState;
  }

  /** The last failure to reach the Director that the breaker counted, if any. */
  get lastConnectionFailure(): DirectorError | undefined {
    return this.#transport.lastConnectionFailure;
  }

  /** Requests in flight to the Director and waiting for a slot. */
  get queueStats(): FairQueueStats {
    return this.#transport.queueStats;
  }

  /**
   * The API as one caller: `authorization` (their own `Authorization` header, Basic or bearer) is
   * forwarded as-is; without one, calls are made as the configured client, or anonymously if none.
   * `scope` bounds every call made through it: the operation's signal, deadline and call budget
   * (§13). Cheap: make one per operation.
   */
  forCaller(authorization: string | undefined, scope?: CallScopeOptions): DirectorApi {
    const bounds = new CallScope(scope);
    if (authorization !== undefined && authorization !== '')
      return this.#api(forwardedCredentials(authorization), bounds);
    return this.#api(this.#configured ?? anonymousCredentials, bounds);
  }

  /** The API with no credentials at all, whatever is configured (readiness probes `/info` so). */
  anonymous(scope?: CallScopeOptions): DirectorApi {
    return this.#api(anonymousCredentials, new CallScope(scope));
  }

  /** Closes the connection pool; calls made afterwards fail. */
  async close(): Promise<void> {
    await this.#transport.close();
  }

  #api(credentials: Credentials, scope: CallScope): DirectorApi {
    return new CallerApi(new Requester(this.#transport, credentials, scope, this.#outcome), this.#settings);
  }
}
