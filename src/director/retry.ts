/**
 * The retry policy, as a table (docs/director-api-notes.md §7). Only idempotent GETs are retried:
 * POST, PUT and DELETE start tasks, and a repeated one would start a second task.
 */
import { DIRECTOR_DEFAULTS } from './defaults.js';

export interface RetryOptions {
  /** Retries after the first attempt. @default 3 */
  retries?: number;
  /** First backoff, doubled on every retry. @default 200 */
  baseDelayMs?: number;
  /** Largest backoff. @default 2000 */
  maxDelayMs?: number;
  /** A `Retry-After` is honoured up to this. @default 10000 */
  maxRetryAfterMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

/** Statuses of a gateway or an overloaded Director: the request was not handled. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/** Connection failures before an answer: refused, reset, closed under us, name not resolved (yet). */
export const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'EAI_AGAIN',
]);
export const RETRY_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    retries: options.retries ?? DIRECTOR_DEFAULTS.retries,
    baseDelayMs: options.baseDelayMs ?? DIRECTOR_DEFAULTS.retryBaseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DIRECTOR_DEFAULTS.retryMaxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DIRECTOR_DEFAULTS.retryAfterMaxMs,
  };
}

/** Milliseconds a `Retry-After` asks for (seconds or an HTTP date), or undefined if it says nothing usable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Wait before retry number `retry` (1-based): the doubling backoff, or the server's `Retry-After`
 * when that is longer, capped so that a single answer cannot stall a request for long.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
