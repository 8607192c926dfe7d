/** Settings of the task stream, with their defaults in one place (docs/task-stream.md, section 6). */
import type { PollerCapSettings } from './caps.js';
import { type BufferLimits, DEFAULT_BUFFER_LIMITS } from './line-buffer.js';

export interface StreamSettings extends PollerCapSettings {
  /** Time between two polls of one task, as bosh-cli polls. @default 500 */
  intervalMs: number;
  /** Random extra delay per poll, as a fraction of the interval, so pollers do not align. @default 0.1 */
  jitter: number;
  /** How long the Director may stay unreachable before subscriptions end with DIRECTOR_UNAVAILABLE. @default 60000 */
  unavailableAfterMs: number;
  /** First retry delay after a failed poll; doubles up to `retryMaxMs`. @default 250 */
  retryBaseMs: number;
  /** @default 5000 */
  retryMaxMs: number;
  /** Records kept per task output for late joiners and resumes. */
  buffer: BufferLimits;
  /** How often each subscriber's own credentials read its task again (section 1.1). @default 60000 */
  reauthorizeMs: number;
  /**
   * Bytes one poll (or one catch-up read) takes of an output before handing them on; the rest
   * comes in the next round at once. Bounds memory on huge debug logs. @default 16 MiB
   */
  maxBytesPerPoll: number;
  /** Tasks fetched per `runningTasks` poll. @default 200 */
  runningTasksLimit: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = {
  intervalMs: 500,
  jitter: 0.1,
  unavailableAfterMs: 60_000,
  retryBaseMs: 250,
  retryMaxMs: 5_000,
  buffer: DEFAULT_BUFFER_LIMITS,
  reauthorizeMs: 60_000,
  maxBytesPerPoll: 16 * 1024 * 1024,
  runningTasksLimit: 200,
  maxPollers: 1000,
  maxPollersPerCaller: 50,
};

/** The wait before the next poll: the interval plus up to `jitter` of it. */
export function nextPollDelay(settings: StreamSettings): number {
  return settings.intervalMs * (1 + Math.random() * settings.jitter);
}

/** The wait before retry number `attempt` (0-based) after a failed poll. */
export function retryDelay(settings: StreamSettings, attempt: number): number {
  return Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** attempt);
}
