/** Options of the simulated Director, with their defaults in one place. */
import type { ManualClock } from './clock.js';
import type { FaultSettings } from './faults.js';

export interface SimulatorOptions {
  /** Interface to listen on. Plain HTTP is meant for loopback only. @default "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Serve HTTPS with a CA and server certificate generated at start (`caCert` holds the CA). @default false */
  tls?: boolean;
  /** How the Director authenticates: basic users, or UAA bearer tokens (with a token endpoint). @default "basic" */
  auth?: 'basic' | 'uaa';
  /** Seed of every generated id, cid, ip, uuid and vital. @default 1 */
  seed?: number;
  /** `'real'` for wall-clock time, or a `ManualClock` the caller advances. @default "real" */
  clock?: 'real' | ManualClock;
  /**
   * Clock time between two steps of a task (roughly one event record per running instance).
   * Smaller is faster: 500 makes a small deploy take 10–20 s; 20 about a second.
   * @default 500
   */
  tickMs?: number;
  /** Lifetime of UAA access tokens, on the simulator's clock. @default 600 */
  tokenTtlSeconds?: number;
  /** Faults active from the start (all off by default). */
  faults?: Partial<FaultSettings>;
  /** How long a deploy or delete waits for a busy deployment lock before failing with code 100. @default 10000 */
  lockWaitMs?: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  tls: false,
  auth: 'basic',
  seed: 1,
  tickMs: 500,
  tokenTtlSeconds: 600,
  lockWaitMs: 10_000,
} as const;
