/**
 * The one place that talks HTTP: an undici `Agent` of our own (not Node's global fetch), the cap on
 * requests in flight, timeouts, the retry table and the `onRequest` hook. It knows nothing of
 * routes' meanings or of credentials' origins: it sends what it is given and returns the answer
 * whatever its status. Redirects are never followed (docs/director-api-notes.md §2).
 */
import { Agent } from 'undici';
import { type BreakerOptions, type BreakerState, DirectorBreaker } from './breaker.js';
import {
  type DirectorError,
  type DirectorErrorCode,
  DirectorResponseTooLargeError,
  DirectorTimeoutError,
  DirectorTlsError,
  DirectorUnavailableError,
  isDirectorError,
} from './errors.js';
import { CallerGone, FairQueue, type FairQueueStats } from './fair-queue.js';
import type { DirectorResponse } from './response-errors.js';
import {
  parseRetryAfter,
  RETRY_ERROR_CODES,
  RETRY_METHODS,
  RETRY_STATUSES,
  type RetryPolicy,
  retryDelay,
} from './retry.js';
import { abortError, DeadlineReached } from './scope.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What `onRequest` receives for every attempt. It never carries credentials, hosts or bodies. */
export interface DirectorRequestEvent {
  method: HttpMethod;
  /** Path template, e.g. `GET /deployments/:name`. */
  route: string;
  /** HTTP status, or undefined when no answer came (refused, reset, timeout). */
  status: number | undefined;
  durationMs: number;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
  /** The error code when the attempt failed without an answer. */
  error?: DirectorErrorCode;
}

export interface TransportRequest {
  method: HttpMethod;
  route: string;
  /** Already encoded path and query. Sent verbatim: undici does not normalise it. */
  path: string;
  /** Defaults to the Director's origin; the UAA token exchange passes its own. */
  origin?: string;
  authorization?: string | undefined;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
  /** Epoch ms past which the request must not be sent: it then fails with DIRECTOR_TIMEOUT. */
  deadline?: number | undefined;
  /** False once the caller is known to be gone: the request is then not sent (ABORTED). */
  alive?: (() => boolean) | undefined;
}

export interface TransportOptions {
  origin: string;
  ca: string | undefined;
  maxConcurrency: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxResponseBytes: number;
  /** Requests of one route in flight at most (its fair share of `maxConcurrency`). */
  maxConcurrencyPerRoute?: number | undefined;
  retry: RetryPolicy;
  breaker?: BreakerOptions | undefined;
  onRequest: ((event: DirectorRequestEvent) => void) | undefined;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
}

const TIMEOUT_PHASES = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'body',
} as const;

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error as { name?: unknown } | null)?.name === 'AbortError';
}

/** An abort of the request's own signal as the client's error; anything else mapped as usual. */
function failure(error: unknown, request: TransportRequest): DirectorError {
  if (isDirectorError(error)) return error;
  if (error instanceof CallerGone) return abortError(undefined, request.route, error);
  if (error instanceof DeadlineReached) return abortError(request.signal, request.route, error);
  if (isAbort(error, request.signal)) return abortError(request.signal, request.route);
  return networkError(error, request.route);
}

/** Maps an error thrown before or while an answer arrived to the client's error classes. */
export function networkError(error: unknown, route: string): DirectorError {
  if (isDirectorError(error)) return error;
  const code = errorCode(error);
  const details = { route, cause: error };
  if (code !== undefined && code in TIMEOUT_PHASES) {
    const phase = TIMEOUT_PHASES[code as keyof typeof TIMEOUT_PHASES];
    return new DirectorTimeoutError(
      `The Director did not answer ${route} in time (${phase} timeout)`,
      phase,
      details,
    );
  }
  if (
    code !== undefined &&
    (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'))
  ) {
    return new DirectorTlsError(
      `TLS verification of the Director failed on ${route} (${code}); check the CA certificate setting`,
      code,
      details,
    );
  }
  return new DirectorUnavailableError(
    `The Director could not be reached for ${route}${code ? ` (${code})` : ''}`,
    details,
  );
}

function header(headers: DirectorResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class Transport {
  readonly origin: string;
  readonly #agent: Agent;
  readonly #queue: FairQueue;
  readonly #breaker: DirectorBreaker;
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.origin = options.origin;
    this.#options = options;
    this.#queue = new FairQueue(options.maxConcurrency, options.maxConcurrencyPerRoute);
    this.#breaker = new DirectorBreaker(options.breaker);
    this.#agent = new Agent({
      // Always verified: against the configured CA when there is one, else Node's system roots (§1).
      connect: {
        timeout: options.connectTimeoutMs,
        rejectUnauthorized: true,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
      // The queue is the real cap; this keeps the pool from opening sockets nobody can use.
      connections: options.maxConcurrency,
    });
  }

  /** The circuit breaker's state: `open` while calls fail fast. */
  get breakerState(): BreakerState {
    return this.#breaker.state;
  }

  /** The last connection failure the breaker counted. */
  get lastConnectionFailure(): DirectorError | undefined {
    return this.#breaker.lastFailure;
  }

  /** Requests in flight and waiting for a slot. */
  get queueStats(): FairQueueStats {
    return this.#queue.stats;
  }

  /**
   * Sends one request, retrying idempotent ones per the policy (§7), and returns the last answer
   * whatever its status. Throws only when no answer came: a DirectorError, DIRECTOR_TIMEOUT
   * (phase `deadline`) or ABORTED when the request's signal ended it (§13).
   */
  async send(request: TransportRequest): Promise<DirectorResponse> {
    const { retry, now } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const mayRetry = RETRY_METHODS.has(request.method) && attempt <= retry.retries;
      let response: DirectorResponse;
      try {
        response = await this.#breaker.execute(() => this.#attempt(request, attempt), request.route);
      } catch (error) {
        const mapped = failure(error, request);
        const code = errorCode((mapped as { cause?: unknown }).cause ?? error);
        if (
          mapped.code === 'DIRECTOR_UNAVAILABLE' &&
          mayRetry &&
          code !== undefined &&
          RETRY_ERROR_CODES.has(code)
        ) {
          await this.#pause(retryDelay(retry, attempt, undefined), request);
          continue;
        }
        throw mapped;
      }
      if (mayRetry && RETRY_STATUSES.has(response.status)) {
        const retryAfter = parseRetryAfter(header(response.headers, 'retry-after'), now());
        await this.#pause(retryDelay(retry, attempt, retryAfter), request);
        continue;
      }
      return response;
    }
  }

  /** A backoff that ends, as the request does, when its signal aborts. */
  async #pause(ms: number, request: TransportRequest): Promise<void> {
    const left = request.deadline === undefined ? ms : request.deadline - Date.now();
    if (left <= 0) throw failure(new DeadlineReached(), request);
    try {
      await this.#options.sleep(Math.min(ms, left), request.signal);
    } catch (error) {
      throw failure(error, request);
    }
  }

  async #attempt(request: TransportRequest, attempt: number): Promise<DirectorResponse> {
    // A request whose operation ended or whose deadline passed while it waited leaves unsent.
    const release = await this.#queue.acquire(request.route, request.signal, request.deadline, request.alive);
    const started = performance.now();
    let status: number | undefined;
    // The operation's deadline bounds the wait for the answer and its silences: undici's own
    // timers, so a deadline costs no timer of ours per request.
    const left = request.deadline === undefined ? undefined : Math.max(1, request.deadline - Date.now());
    const { headersTimeoutMs, bodyTimeoutMs } = this.#options;
    const cut = left !== undefined && left < Math.max(headersTimeoutMs, bodyTimeoutMs);
    try {
      const headers: Record<string, string> = { ...request.headers };
      if (request.authorization !== undefined) headers.authorization = request.authorization;
      const answer = await this.#agent.request({
        origin: request.origin ?? this.origin,
        path: request.path,
        method: request.method,
        headers,
        body: request.body ?? null,
        signal: request.signal ?? null,
        ...(left === undefined
          ? {}
          : { headersTimeout: Math.min(headersTimeoutMs, left), bodyTimeout: Math.min(bodyTimeoutMs, left) }),
      });
      status = answer.statusCode;
      const body = await this.#readBody(answer.body, header(answer.headers, 'content-length'), request.route);
      this.#report(request, attempt, started, status, undefined);
      return { status, headers: answer.headers, body };
    } catch (error) {
      let mapped = failure(error, request);
      // A timeout the deadline cut short is the operation's, not a sign of a dead Director.
      if (cut && isDirectorError(mapped, 'DIRECTOR_TIMEOUT') && request.deadline! - Date.now() < 50) {
        mapped = failure(new DeadlineReached(), request);
      }
      this.#report(request, attempt, started, status, mapped.code);
      throw mapped;
    } finally {
      release();
    }
  }

  /**
   * Reads a body of at most `maxResponseBytes`. A larger one is cut off (at once when its
   * Content-Length says so) with a RESPONSE_TOO_LARGE error, which nothing retries: the same
   * request would bring the same body (§10).
   */
  async #readBody(
    body: AsyncIterable<Buffer> & { destroy(): void; on(event: 'error', listener: () => void): unknown },
    contentLength: string | undefined,
    route: string,
  ): Promise<Buffer> {
    const limit = this.#options.maxResponseBytes;
    const tooLarge = () => {
      // Destroying a body nobody reads makes undici emit an abort error: it is ours, not news.
      body.on('error', () => {});
      body.destroy();
      return new DirectorResponseTooLargeError(
        `The answer to ${route} is larger than the client's limit of ${limit} bytes`,
        limit,
        { route },
      );
    };
    if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > limit) {
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }

  #report(
    request: TransportRequest,
    attempt: number,
    started: number,
    status: number | undefined,
    error: DirectorErrorCode | undefined,
  ): void {
    const hook = this.#options.onRequest;
    if (!hook) return;
    const event: DirectorRequestEvent = {
      method: request.method,
      route: request.route,
      status,
      durationMs: performance.now() - started,
      attempt,
      ...(error === undefined ? {} : { error }),
    };
    try {
      hook(event);
    } catch {
      // A metrics hook must never break a request.
    }
  }

  /** Ends every connection at once: calls still in flight (a hung route) fail rather than hold shutdown. */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}
