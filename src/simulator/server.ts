/**
 * The HTTP(S) front of the simulated Director: reads a request, authenticates it, logs it, applies
 * faults, routes it, writes the answer. Every answer carries a `Date` header from the simulator's
 * clock. The control endpoint (`/_simulator/...`) bypasses auth, faults and the request log.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { authenticate } from './auth.js';
import type { ControlHandler } from './control.js';
import type { FaultDecision } from './faults.js';
import { routeConditions } from './http/conditions.js';
import type { RequestContext, SimCore } from './http/context.js';
import { injectedError, readBody, sleep } from './http/io.js';
import { directorError, empty, notFound, type SimResponse, text, unauthenticated } from './http/response.js';
import { type RouteMatch, type Router, splitPath } from './http/router.js';
import { Access } from './permissions.js';
import type { RequestLog, RequestRecord } from './request-log.js';

/** Director mounts whose requests need credentials even when no route matches (before-filter). */
const AUTH_MOUNTS = new Set([
  'tasks',
  'task',
  'deployments',
  'releases',
  'stemcells',
  'vms',
  'locks',
  'events',
  'configs',
  'cloud_configs',
  'runtime_configs',
  'cpi_configs',
  'disks',
  'orphan_disks',
  'orphaned_vms',
  'networks',
  'packages',
  'resources',
  'resurrection',
  'cleanup',
  'director',
  'jobs',
  'links',
  'link_providers',
  'link_consumers',
  'link_address',
  'deployed_variables',
  'deployment_configs',
  'dynamic_disks',
  'stemcell_uploads',
]);

const CONTEXT_ID_MAX = 64;

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

export class SimServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();
  private port = 0;

  constructor(
    private readonly core: SimCore,
    private readonly router: Router,
    private readonly log: RequestLog,
    private readonly control: ControlHandler,
    private readonly tls: TlsMaterial | undefined,
  ) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => {
        console.error(
          `simulator: ${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`,
        );
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    };
    this.server = tls
      ? https.createServer({ key: tls.key, cert: tls.cert, minVersion: 'TLSv1.2' }, handler)
      : http.createServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  get scheme(): 'http' | 'https' {
    return this.tls ? 'https' : 'http';
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        this.port = typeof address === 'object' && address ? address.port : port;
        resolve(this.port);
      });
    });
  }

  /** Stops listening and destroys every open socket, keep-alive ones included. */
  close(): Promise<void> {
    this.closing.abort();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const rawQuery = q < 0 ? '' : rawUrl.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (rawPath === '/_simulator' || rawPath.startsWith('/_simulator/')) {
      await this.write(
        res,
        method,
        await this.control.handle(method, rawPath, new URLSearchParams(rawQuery), body),
      );
      return;
    }
    const identity = authenticate(
      this.core.authMode,
      this.core.issuer,
      firstHeader(req.headers.authorization),
    );
    const record = this.log.start({
      time: this.core.clock.now(),
      method,
      path: rawPath,
      query: rawQuery,
      user: identity?.username ?? '-',
    });
    const decision = this.core.faults.decide(method, rawPath);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, this.closing.signal);
    if (this.closing.signal.aborted) return;
    if (decision.reset === 'before') {
      record.fault = 'reset';
      req.socket.destroy();
      return;
    }
    let response: SimResponse;
    if (decision.errorStatus !== null) {
      record.fault = 'error';
      response = injectedError(decision.errorStatus);
    } else {
      response = await this.dispatch(req, method, rawPath, rawQuery, body, identity, decision);
    }
    await this.write(res, method, response, decision, record);
  }

  private async dispatch(
    req: http.IncomingMessage,
    method: string,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
    identity: ReturnType<typeof authenticate>,
    decision: FaultDecision,
  ): Promise<SimResponse> {
    const segments = splitPath(rawPath);
    // HEAD is answered like GET, without the body (the framework does the same).
    const match = this.router.match(
      method === 'HEAD' ? 'GET' : method,
      segments,
      req.headers['content-type'],
    );
    // The UAA endpoints are not part of the Director: no mount, no before-filter.
    if (match?.route.public && segments[0] !== 'info') {
      return this.answer(req, method, rawPath, rawQuery, body, identity, decision, match);
    }
    const mount = segments[0] ?? '';
    // A path under no mount never reaches a Director controller: the mapping in front of them
    // answers in plain text (Rack's URLMap), without a challenge.
    if (mount !== 'info' && !AUTH_MOUNTS.has(mount)) {
      return text(404, `Not Found: ${rawPath}`, 'text/plain');
    }
    const needsAuth = mount !== 'info';
    if (needsAuth && !identity) return unauthenticated(rawPath);
    const response = await this.beforeFilter(req, method, rawPath, rawQuery, body, identity, decision, match);
    // The Director's before-filter sets the challenge on every route that requires authentication.
    if (needsAuth) response.headers['WWW-Authenticate'] = 'Basic realm="BOSH Director"';
    return response;
  }

  /**
   * What a controller's before-filter does once the caller is authenticated: the context id is
   * checked on every path of a mount, matched by a route or not, so an over-long one is refused
   * before an unknown path gets its 404.
   */
  private async beforeFilter(
    req: http.IncomingMessage,
    method: string,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
    identity: ReturnType<typeof authenticate>,
    decision: FaultDecision,
    match: RouteMatch | null,
  ): Promise<SimResponse> {
    const contextId = firstHeader(req.headers['x-bosh-context-id']) ?? '';
    if (contextId.length > CONTEXT_ID_MAX) {
      return directorError(
        400,
        70010,
        `X-Bosh-Context-Id cannot be more than ${CONTEXT_ID_MAX} characters in length`,
      );
    }
    // The events controller has its own not-found page (`events_controller.rb:130-133`).
    if (!match) return splitPath(rawPath)[0] === 'events' ? text(404, 'Event not found') : notFound(rawPath);
    return this.answer(req, method, rawPath, rawQuery, body, identity, decision, match, contextId);
  }

  private async answer(
    req: http.IncomingMessage,
    method: string,
    rawPath: string,
    rawQuery: string,
    body: Buffer,
    identity: ReturnType<typeof authenticate>,
    decision: FaultDecision,
    match: RouteMatch,
    contextId = '',
  ): Promise<SimResponse> {
    const base: RequestContext = {
      core: this.core,
      method,
      rawPath,
      query: new URLSearchParams(rawQuery),
      headers: req.headers,
      body,
      scheme: this.scheme,
      host: req.headers.host ?? `127.0.0.1:${this.port}`,
      identity,
      access: identity ? new Access(identity, this.core.state.uuid) : null,
      contextId,
      ignoreRange: decision.ignoreRange,
    };
    try {
      const checked = match.route.public ? { ctx: base } : routeConditions(base, match);
      if ('error' in checked) return checked.error;
      return await match.route.handler(checked.ctx, match.params);
    } catch (err) {
      // Anything that is not a Director error is a 500 with an empty body, detail only in the log.
      console.error(`simulator: ${method} ${rawPath}: ${err instanceof Error ? err.message : String(err)}`);
      return empty(500);
    }
  }

  private async write(
    res: http.ServerResponse,
    method: string,
    response: SimResponse,
    decision?: FaultDecision,
    record?: RequestRecord,
  ): Promise<void> {
    const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    const headers: Record<string, string> = {
      Date: new Date(this.core.clock.now()).toUTCString(),
      ...response.headers,
    };
    if (response.status !== 204 && response.status !== 304) headers['Content-Length'] = String(body.length);
    res.writeHead(response.status, headers);
    if (record) record.status = response.status;
    const payload = method === 'HEAD' || response.status === 204 ? Buffer.alloc(0) : body;
    if (decision?.reset === 'mid-body') {
      const half = payload.subarray(0, Math.floor(payload.length / 2));
      await new Promise<void>((resolve) => res.write(half, () => resolve()));
      if (record) {
        record.fault = 'reset';
        record.bytes = half.length;
      }
      res.socket?.destroy();
      return;
    }
    if (decision?.slowBody && payload.length > 0) {
      const { chunkBytes, delayMs } = decision.slowBody;
      for (let offset = 0; offset < payload.length; offset += chunkBytes) {
        if (res.destroyed || this.closing.signal.aborted) return;
        const chunk = payload.subarray(offset, offset + chunkBytes);
        await new Promise<void>((resolve) => res.write(chunk, () => resolve()));
        if (record) record.bytes += chunk.length;
        if (offset + chunkBytes < payload.length) await sleep(delayMs, this.closing.signal);
      }
      res.end();
      return;
    }
    res.end(payload);
    if (record) record.bytes = payload.length;
  }
}
