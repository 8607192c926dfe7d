/**
 * Readiness (README, "Operations"): `/health` says the process runs; `/ready` says whether it can
 * serve, that is whether the Director answers, its certificate verifies, the circuit breaker is
 * closed, and the configured client (if any) is accepted. The same check runs once at start-up,
 * where each problem becomes one log line naming the setting to fix.
 *
 * A check costs one anonymous `GET /info`, plus one with the configured client's credentials
 * (in UAA mode its token exchange): cached for `cacheMs`, and shared by concurrent probes, so a
 * load balancer probing every second costs the Director little.
 */
import type { BreakerState, DirectorApi, DirectorError } from '../director/index.js';
import { isDirectorError } from '../director/index.js';
import type { FleetStatus } from '../stream/fleet.js';

export type NotReadyCode =
  | 'DIRECTOR_UNREACHABLE'
  | 'DIRECTOR_CERTIFICATE'
  | 'BREAKER_OPEN'
  | 'CLIENT_REFUSED';

export interface NotReady {
  code: NotReadyCode;
  /** One sentence for an operator, with no secret and no Director address. */
  message: string;
  /** The setting to look at. */
  setting?: string;
}

export interface ReadinessReport {
  ready: boolean;
  reasons: NotReady[];
  /**
   * With `--redis` only: whether this replica shares its task pollers with the fleet (`shared`)
   * or polls alone because Redis does not answer (`alone`). Polling alone still serves, so it
   * leaves `ready` as it is.
   */
  fleet?: FleetStatus;
}

/** What readiness needs of the fleet (docs/task-stream.md section 13). */
export interface FleetSource {
  status(): FleetStatus;
}

/** What readiness needs of the Director client. */
export interface ReadinessSource {
  readonly breakerState: BreakerState;
  readonly lastConnectionFailure: DirectorError | undefined;
  readonly hasConfiguredClient: boolean;
  forCaller(authorization: string | undefined): DirectorApi;
  /** The API with no credentials at all. */
  anonymous(): DirectorApi;
}

function failureReason(error: unknown): NotReady | undefined {
  if (isDirectorError(error, 'DIRECTOR_TLS_ERROR')) {
    const code = (error as { tlsCode?: string }).tlsCode;
    return {
      code: 'DIRECTOR_CERTIFICATE',
      message: `The Director's TLS certificate does not verify${code ? ` (${code})` : ''}.`,
      setting: 'BOSH_CA_CERT',
    };
  }
  if (isDirectorError(error, 'DIRECTOR_UNAVAILABLE') || isDirectorError(error, 'DIRECTOR_TIMEOUT')) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return {
      code: 'DIRECTOR_UNREACHABLE',
      message: `The Director cannot be reached${cause ? ` (${cause})` : ''}.`,
      setting: 'BOSH_ENVIRONMENT',
    };
  }
  return undefined;
}

export class Readiness {
  #cached: { at: number; report: Promise<ReadinessReport> } | undefined;

  constructor(
    private readonly source: ReadinessSource,
    private readonly cacheMs = 2_000,
    private readonly fleet?: FleetSource,
  ) {}

  /** The current report, from cache when it is fresh; the fleet's part is always current. */
  async check(): Promise<ReadinessReport> {
    const now = Date.now();
    if (!this.#cached || now - this.#cached.at >= this.cacheMs) {
      this.#cached = { at: now, report: this.#probe() };
    }
    const report = await this.#cached.report;
    return this.fleet ? { ...report, fleet: this.fleet.status() } : report;
  }

  async #probe(): Promise<ReadinessReport> {
    const reasons: NotReady[] = [];
    if (this.source.breakerState === 'open') {
      const last = failureReason(this.source.lastConnectionFailure);
      reasons.push({
        code: 'BREAKER_OPEN',
        message: `Calls to the Director are paused after repeated failures${last ? `: ${last.message}` : '.'}`,
        ...(last?.setting ? { setting: last.setting } : {}),
      });
      return { ready: false, reasons };
    }
    try {
      // An anonymous read needs no credentials: it tells reachability and TLS apart from auth.
      await this.source.anonymous().info();
    } catch (error) {
      reasons.push(failureReason(error) ?? unanswered());
      return { ready: false, reasons };
    }
    if (this.source.hasConfiguredClient) {
      try {
        const info = await this.source.forCaller(undefined).info();
        // /info never refuses: invalid credentials only leave `user` empty.
        if (!info.user) reasons.push(clientRefused());
      } catch (error) {
        if (isDirectorError(error, 'UNAUTHENTICATED')) reasons.push(clientRefused());
        else reasons.push(failureReason(error) ?? unanswered());
      }
    }
    return { ready: reasons.length === 0, reasons };
  }
}

function unanswered(): NotReady {
  return {
    code: 'DIRECTOR_UNREACHABLE',
    message: 'The Director failed to answer /info.',
    setting: 'BOSH_ENVIRONMENT',
  };
}

function clientRefused(): NotReady {
  return {
    code: 'CLIENT_REFUSED',
    message: "The Director refuses the gateway's configured client.",
    setting: 'BOSH_CLIENT_SECRET',
  };
}

/** The start-up lines for a report: one per problem, naming the setting to fix. */
export function startupLines(report: ReadinessReport, director: string): string[] {
  return report.reasons.map((reason) => {
    const shown = reason.setting === 'BOSH_ENVIRONMENT' ? ` (set to ${director})` : '';
    const fix = reason.setting ? `: check ${reason.setting}${shown}` : '';
    return `bosh-graphql: ${reason.message.replace(/\.$/, '')}${fix}. Serving anyway; /ready answers 503 until this is fixed.`;
  });
}
