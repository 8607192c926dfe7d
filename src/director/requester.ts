/**
 * One caller's way of sending requests: it asks the caller's credentials for each request's
 * Authorization, retries once with fresh credentials after a plain-text 401 when that can help
 * (a UAA token that expired early, docs/director-api-notes.md §6), and turns answers outside a
 * route's success statuses into typed errors (§5).
 */
import type { Credentials } from './auth.js';
import type { Transport, TransportRequest } from './http.js';
import { makeRedactor, secretsOfAuthorization } from './redact.js';
import { type DirectorResponse, errorFromResponse, isUnauthenticated401 } from './response-errors.js';

export type RequestSpec = Omit<TransportRequest, 'authorization'>;

export class Requester {
  readonly #transport: Transport;
  readonly #credentials: Credentials;

  constructor(transport: Transport, credentials: Credentials) {
    this.#transport = transport;
    this.#credentials = credentials;
  }

  /** Sends `spec` and returns the answer if its status is one of `ok`; throws a typed error otherwise. */
  async expect(spec: RequestSpec, ok: ReadonlySet<number> | readonly number[]): Promise<DirectorResponse> {
    let authorization = await this.#credentials.header();
    let response = await this.#transport.send({ ...spec, authorization });
    if (
      authorization !== undefined &&
      isUnauthenticated401(response) &&
      this.#credentials.rejected(authorization)
    ) {
      authorization = await this.#credentials.header();
      response = await this.#transport.send({ ...spec, authorization });
    }
    const accepted =
      ok instanceof Set ? ok.has(response.status) : (ok as readonly number[]).includes(response.status);
    if (accepted) return response;
    const redact = makeRedactor([...secretsOfAuthorization(authorization), ...this.#credentials.secrets]);
    throw errorFromResponse(response, spec.route, redact);
  }
}
