/**
 * One caller's way of sending requests: it asks the caller's credentials for each request's
 * Authorization, retries once with fresh credentials after a plain-text 401 when that can help
 * (a UAA token that expired early, docs/director-api-notes.md §6), and turns answers outside a
 * route's success statuses into typed errors (§5). Every request carries the bounds of the
 * caller's operation (§13): its signal, its deadline and its call budget.
 */
import type { Credentials } from './auth.js';
import { DirectorUnauthenticatedError } from './errors.js';
import type { Transport, TransportRequest } from './http.js';
import { makeRedactor, scrubDirectorText, secretsOfAuthorization } from './redact.js';
import { type DirectorResponse, errorFromResponse, isUnauthenticated401 } from './response-errors.js';
import { abortError, type CallScope, DeadlineReached, eitherSignal } from './scope.js';

export type RequestSpec = Omit<TransportRequest, 'authorization'>;

/** Told whether the Director accepted credentials of a source, after each answer. */
export type CredentialsOutcome = (source: Credentials['source'], accepted: boolean) => void;

export class Requester {
  readonly #transport: Transport;
  readonly #credentials: Credentials;
  readonly #scope: CallScope;

  readonly #outcome: CredentialsOutcome | undefined;

  constructor(
    transport: Transport,
    credentials: Credentials,
    scope: CallScope,
    outcome?: CredentialsOutcome,
  ) {
    this.#transport = transport;
    this.#credentials = credentials;
    this.#scope = scope;
    this.#outcome = outcome;
  }

  /** Sends `spec` and returns the answer if its status is one of `ok`; throws a typed error otherwise. */
  async expect(spec: RequestSpec, ok: ReadonlySet<number> | readonly number[]): Promise<DirectorResponse> {
    this.#scope.enter(spec.route);
    const bounded = {
      ...spec,
      signal: eitherSignal(spec.signal, this.#scope.signal),
      deadline: this.#scope.deadline,
      alive: this.#scope.alive,
    };
    try {
      let authorization = await this.#credentials.header();
      let response = await this.#transport.send({ ...bounded, authorization });
      if (
        authorization !== undefined &&
        isUnauthenticated401(response) &&
        this.#credentials.rejected(authorization)
      ) {
        authorization = await this.#credentials.header();
        response = await this.#transport.send({ ...bounded, authorization });
      }
      const accepted =
        ok instanceof Set ? ok.has(response.status) : (ok as readonly number[]).includes(response.status);
      if (!isUnauthenticated401(response)) this.#outcome?.(this.#credentials.source, true);
      if (accepted) return response;
      const secrets = makeRedactor([...secretsOfAuthorization(authorization), ...this.#credentials.secrets]);
      const redact = (text: string) => scrubDirectorText(secrets(text), this.#transport.origin);
      throw errorFromResponse(response, spec.route, redact);
    } catch (error) {
      // Refused credentials say whose they were: the caller's own, or the gateway's client.
      if (error instanceof DirectorUnauthenticatedError) {
        error.credentials ??= this.#credentials.source;
        this.#outcome?.(this.#credentials.source, false);
      }
      throw error;
    }
  }

  /**
   * Director text read from an answer that succeeded (a diff's `error` in a 200), cleaned as error
   * descriptions are before a client may read it (§13, "Scrubbing").
   */
  scrub(text: string): string {
    return scrubDirectorText(makeRedactor(this.#credentials.secrets)(text), this.#transport.origin);
  }

  /** Waits `ms` (a task poll's interval) unless the operation ends first. */
  async pause(
    ms: number,
    sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const scope = this.#scope.signal;
    const deadline = this.#scope.deadline;
    const left = deadline === undefined ? ms : deadline - Date.now();
    if (left <= 0) throw abortError(undefined, 'a task wait', new DeadlineReached());
    try {
      await sleep(Math.min(ms, left), eitherSignal(signal, scope));
    } catch (error) {
      // The wait's own signal keeps its reason, as before scopes; the scope's becomes ours.
      if (signal?.aborted) throw signal.reason;
      if (scope?.aborted) throw abortError(scope, 'a task wait');
      throw error;
    }
  }
}
