/**
 * Fault injection. All faults are off by default. Each decision is deterministic: rates draw from
 * a PRNG seeded with the simulator's seed (advanced only by requests the faults apply to), and the
 * `*Next` counters fail exactly the next N matching requests, so a reliability test can script
 * "reset, then 503, then success" without flakiness.
 */
import { Rng } from './rng.js';

export interface FaultSettings {
  /** Wall-clock delay added before answering, in ms. @default 0 */
  latencyMs: number;
  /** Share (0..1) of matching requests answered with `errorStatus`. @default 0 */
  errorRate: number;
  /** Answer the next N matching requests with `errorStatus`. @default 0 */
  errorNext: number;
  /** Status of injected errors (a 5xx). 502, 503 and 504 get a proxy-style HTML body, others none. @default 503 */
  errorStatus: number;
  /** Share (0..1) of matching requests whose connection is reset. @default 0 */
  resetRate: number;
  /** Reset the connection of the next N matching requests. @default 0 */
  resetNext: number;
  /** Reset after sending the headers and half the body, instead of before answering. @default false */
  resetMidBody: boolean;
  /** Send bodies in chunks of this many bytes (0 = all at once). @default 0 */
  slowBodyChunkBytes: number;
  /** Wall-clock pause between slow-body chunks, in ms. @default 0 */
  slowBodyDelayMs: number;
  /** Answer task output requests with 200 and the whole body, ignoring Range. @default false */
  ignoreRange: boolean;
  /** Faults apply only to request paths starting with this ("" = every path). @default "" */
  pathPrefix: string;
  /** Faults apply only to this HTTP method ("" = any). @default "" */
  method: string;
}

export const DEFAULT_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorNext: 0,
  errorStatus: 503,
  resetRate: 0,
  resetNext: 0,
  resetMidBody: false,
  slowBodyChunkBytes: 0,
  slowBodyDelayMs: 0,
  ignoreRange: false,
  pathPrefix: '',
  method: '',
});

export interface FaultDecision {
  latencyMs: number;
  /** 'before' = destroy the socket without answering; 'mid-body' = after half the body. */
  reset: 'before' | 'mid-body' | null;
  errorStatus: number | null;
  slowBody: { chunkBytes: number; delayMs: number } | null;
  ignoreRange: boolean;
}

const NO_FAULT: FaultDecision = {
  latencyMs: 0,
  reset: null,
  errorStatus: null,
  slowBody: null,
  ignoreRange: false,
};

/** Checks a partial settings object; returns the problems found (empty = valid). */
export function validateFaults(input: unknown): string[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return ['faults must be a JSON object'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!(key in DEFAULT_FAULTS)) {
      problems.push(`unknown fault "${key}" (known: ${Object.keys(DEFAULT_FAULTS).join(', ')})`);
      continue;
    }
    const expected = typeof DEFAULT_FAULTS[key as keyof FaultSettings];
    if (typeof value !== expected) {
      problems.push(`fault "${key}" must be a ${expected}, got ${JSON.stringify(value)}`);
    } else if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) {
      problems.push(`fault "${key}" must be a finite number >= 0, got ${value}`);
    } else if ((key === 'errorRate' || key === 'resetRate') && (value as number) > 1) {
      problems.push(`fault "${key}" is a share between 0 and 1, got ${value}`);
    } else if (key === 'errorStatus' && ((value as number) < 500 || (value as number) > 599)) {
      problems.push(`fault "errorStatus" must be a 5xx status, got ${value}`);
    }
  }
  return problems;
}

export class Faults {
  private settings: FaultSettings = { ...DEFAULT_FAULTS };
  private readonly rng: Rng;

  constructor(seed: number, initial?: Partial<FaultSettings>) {
    this.rng = new Rng((seed ^ 0x5eed_fa17) >>> 0);
    if (initial) this.set(initial);
  }

  /** Merges `partial` into the current settings; throws on unknown keys or bad values. */
  set(partial: Partial<FaultSettings>): FaultSettings {
    const problems = validateFaults(partial);
    if (problems.length > 0) throw new Error(`invalid faults: ${problems.join('; ')}`);
    this.settings = { ...this.settings, ...partial };
    return this.get();
  }

  clear(): void {
    this.settings = { ...DEFAULT_FAULTS };
  }

  get(): FaultSettings {
    return { ...this.settings };
  }

  /** Decides the faults of one request (consuming `*Next` counters and PRNG draws). */
  decide(method: string, path: string): FaultDecision {
    const s = this.settings;
    if (s.pathPrefix !== '' && !path.startsWith(s.pathPrefix)) return NO_FAULT;
    if (s.method !== '' && s.method.toUpperCase() !== method) return NO_FAULT;
    let reset: FaultDecision['reset'] = null;
    if (s.resetNext > 0) {
      s.resetNext -= 1;
      reset = s.resetMidBody ? 'mid-body' : 'before';
    } else if (s.resetRate > 0 && this.rng.next() < s.resetRate) {
      reset = s.resetMidBody ? 'mid-body' : 'before';
    }
    let errorStatus: number | null = null;
    if (reset === null) {
      if (s.errorNext > 0) {
        s.errorNext -= 1;
        errorStatus = s.errorStatus;
      } else if (s.errorRate > 0 && this.rng.next() < s.errorRate) {
        errorStatus = s.errorStatus;
      }
    }
    return {
      latencyMs: s.latencyMs,
      reset,
      errorStatus,
      slowBody:
        s.slowBodyChunkBytes > 0 ? { chunkBytes: s.slowBodyChunkBytes, delayMs: s.slowBodyDelayMs } : null,
      ignoreRange: s.ignoreRange,
    };
  }
}
