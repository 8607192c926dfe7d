/** What a route handler gets: the simulator core plus one parsed request. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../clock.js';
import type { Faults } from '../faults.js';
import type { Operations } from '../operations.js';
import type { Access } from '../permissions.js';
import type { SimState } from '../state.js';
import type { TaskEngine } from '../tasks.js';
import type { Deployment } from '../types.js';
import type { TokenIssuer } from '../uaa.js';
import type { Identity } from '../users.js';

export interface SimCore {
  readonly state: SimState;
  readonly engine: TaskEngine;
  readonly operations: Operations;
  readonly clock: Clock;
  readonly authMode: 'basic' | 'uaa';
  readonly issuer: TokenIssuer;
  readonly faults: Faults;
  /** The simulator's own base URL (what UAA mode advertises in `/info`). */
  url(): string;
}

export interface RequestContext {
  readonly core: SimCore;
  readonly method: string;
  /** The path exactly as sent (still percent-encoded), without the query. */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** `http` or `https`, for absolute redirects. */
  readonly scheme: string;
  /** The Host header as sent (absolute redirects echo it). */
  readonly host: string;
  readonly identity: Identity | null;
  /** Set on every route that requires authentication. */
  readonly access: Access | null;
  /** `X-Bosh-Context-Id`, "" when absent. */
  readonly contextId: string;
  /** Whether this request is under the "ignore Range" fault. */
  readonly ignoreRange: boolean;
  /** The deployment of a `deployment:` route, looked up and permission-checked before the handler. */
  readonly deployment?: Deployment;
}

export function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
