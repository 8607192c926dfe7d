/**
 * The simulated BOSH Director: the embedded default Director, the `simulate` command, and the
 * test double of the whole suite. It shares no code with the gateway (it stands in for a foreign
 * system), so it has its own types throughout.
 *
 *   const sim = await startSimulator({ clock: new ManualClock() });
 *   await fetch(`${sim.url}/deployments`, { headers: { authorization: sim.basicAuth('admin') } });
 *   await sim.stop();
 */
import { eventToWire } from './audit.js';
import { basicHeader } from './auth.js';
import { type Clock, ManualClock, RealClock } from './clock.js';
import { createControl } from './control.js';
import { type FaultSettings, Faults } from './faults.js';
import type { SimCore } from './http/context.js';
import { Router } from './http/router.js';
import { checkManifest } from './manifest.js';
import { Operations } from './operations.js';
import { DEFAULTS, type SimulatorOptions } from './options.js';
import { type RequestFilter, RequestLog, type RequestRecord } from './request-log.js';
import { registerCatalog } from './routes/catalog.js';
import { registerConfigs } from './routes/configs.js';
import { registerDeploymentDiff } from './routes/deployment-diff.js';
import { registerDeploymentErrands } from './routes/deployment-errands.js';
import { registerDeploymentInstanceGroups } from './routes/deployment-instance-groups.js';
import { registerDeploymentJobs } from './routes/deployment-jobs.js';
import { registerDeploymentProblems } from './routes/deployment-problems.js';
import { registerDeploymentVariables } from './routes/deployment-variables.js';
import { registerDeploymentVms } from './routes/deployment-vms.js';
import { registerDeployments } from './routes/deployments.js';
import { registerDirector } from './routes/director.js';
import { registerDisks } from './routes/disks.js';
import { registerEvents } from './routes/events.js';
import { registerInfo } from './routes/info.js';
import { registerLegacyConfigs } from './routes/legacy-configs.js';
import { registerLocks } from './routes/locks.js';
import { registerOrphanedVms } from './routes/orphaned-vms.js';
import { registerTaskOutput } from './routes/task-output.js';
import { registerTasks } from './routes/tasks.js';
import { registerUaa } from './routes/uaa.js';
import { seedDirector } from './seed.js';
import { SimServer } from './server.js';
import { SimState } from './state.js';
import { TaskEngine } from './tasks.js';
import { generateTls } from './tls.js';
import { CLI_CLIENT, TokenIssuer } from './uaa.js';
import { findUser, SEEDED_USERS, type SimUser } from './users.js';
import { taskToWire } from './wire.js';

export { type Clock, ManualClock, RealClock } from './clock.js';
export { DEFAULT_FAULTS, type FaultSettings } from './faults.js';
export type { SimulatorOptions } from './options.js';
export type { RequestFilter, RequestRecord } from './request-log.js';
export { SEEDED_USERS, type SimUser } from './users.js';

/** A task as `GET /tasks/{id}` shows it. */
export interface SimTask {
  id: number;
  state: string;
  description: string;
  timestamp: number | null;
  started_at: number | null;
  result: string | null;
  user: string;
  deployment: string | null;
  context_id: string;
}

export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The CA certificate (PEM) when serving TLS. */
  readonly caCert?: string;
  readonly authMode: 'basic' | 'uaa';
  /** The Director uuid (also valid in `bosh.<uuid>.admin` scopes). */
  readonly uuid: string;
  /** Seeded users by key: admin, reader, alphaAdmin, betaAdmin, alphaReader. */
  readonly users: Record<string, SimUser>;
  /** `Basic ...` header for a seeded user (key or user name). */
  basicAuth(user: string): string;
  /** `bearer ...` header for a seeded user (UAA mode only), minted without an HTTP call. */
  token(user: string): Promise<string>;
  readonly clock: { now(): number; advance?(ms: number): Promise<void> };
  readonly faults: { set(f: Partial<FaultSettings>): void; clear(): void; get(): FaultSettings };
  readonly requests: {
    list(filter?: RequestFilter): RequestRecord[];
    count(filter?: RequestFilter): number;
    bytes(filter?: RequestFilter): number;
    summary(filter?: RequestFilter): Record<string, number>;
    reset(): void;
  };
  readonly tasks: {
    /** Starts a deploy as `user` (default admin) without HTTP; returns the task id. */
    startDeploy(
      manifest: string,
      user?: string,
      options?: { dryRun?: boolean; recreate?: boolean; contextId?: string },
    ): number;
    /** Starts `delete deployment <name>`; returns the task id. */
    startDelete(name: string, user?: string): number;
    /** Starts `run errand <name> from deployment <d>` on every matching instance; returns the task id. */
    startErrand(deployment: string, name: string, user?: string): number;
    /** Starts a cloud-check scan (`scan cloud`) of a deployment; returns the task id. */
    startScan(deployment: string, user?: string): number;
    cancel(id: number): boolean;
    get(id: number): SimTask | undefined;
    /** Every task, by id. */
    list(): SimTask[];
    eventOutput(id: number): string;
    /** The event log parsed, one object per record. */
    events(id: number): Record<string, unknown>[];
    resultOutput(id: number): string;
    debugOutput(id: number): string;
    /** Resolves once the task is finished (done, error, cancelled). */
    wait(id: number): Promise<SimTask>;
  };
  /** Audit events (`GET /events`), newest first, every one (no 200 cap), as the API shows them. */
  readonly audit: { list(): Record<string, unknown>[] };
  readonly deployments: {
    names(): string[];
    /** The deployed manifest text (null until a deploy succeeds); undefined if no such deployment. */
    manifest(name: string): string | null | undefined;
  };
  /** Stops the server, closes every socket (keep-alive too) and cancels pending task steps. */
  stop(): Promise<void>;
}

function buildRouter(auth: 'basic' | 'uaa'): Router {
  const router = new Router();
  registerInfo(router);
  registerTasks(router);
  registerTaskOutput(router);
  registerDeployments(router);
  registerDeploymentDiff(router);
  registerDeploymentVms(router);
  registerDeploymentJobs(router);
  registerDeploymentInstanceGroups(router);
  registerDeploymentErrands(router);
  registerDeploymentProblems(router);
  registerDeploymentVariables(router);
  registerDirector(router);
  registerDisks(router);
  registerOrphanedVms(router);
  registerCatalog(router);
  registerLocks(router);
  registerEvents(router);
  registerConfigs(router);
  registerLegacyConfigs(router);
  if (auth === 'uaa') registerUaa(router);
  return router;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function requireUser(name: string): SimUser {
  const user = findUser(name);
  if (!user)
    throw new Error(
      `no seeded user "${name}" (known: ${Object.values(SEEDED_USERS)
        .map((u) => u.username)
        .join(', ')})`,
    );
  return user;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? DEFAULTS.host;
  const authMode = options.auth ?? DEFAULTS.auth;
  const seed = options.seed ?? DEFAULTS.seed;
  const clock: Clock = options.clock instanceof ManualClock ? options.clock : new RealClock();
  const state = new SimState(seed);
  const engine = new TaskEngine(state, clock, {
    tickMs: options.tickMs ?? DEFAULTS.tickMs,
    lockWaitMs: options.lockWaitMs ?? DEFAULTS.lockWaitMs,
  });
  const operations = new Operations(state, engine);
  seedDirector(state, engine, operations);
  const faults = new Faults(seed, options.faults);
  let url = '';
  const issuer = new TokenIssuer(clock, options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds, () => url);
  const core: SimCore = { state, engine, operations, clock, authMode, issuer, faults, url: () => url };
  const log = new RequestLog();
  const tls = options.tls ? await generateTls(host) : undefined;
  const server = new SimServer(core, buildRouter(authMode), log, createControl(faults, log, clock), tls);
  const port = await server.listen(host, options.port ?? DEFAULTS.port);
  url = `${server.scheme}://${hostForUrl(host)}:${port}`;

  const wireTask = (id: number): SimTask | undefined => {
    const t = state.tasks.get(id);
    return t ? (taskToWire(t) as unknown as SimTask) : undefined;
  };
  const taskOrThrow = (id: number) => {
    const t = state.tasks.get(id);
    if (!t) throw new Error(`no task ${id}`);
    return t;
  };
  let stopped: Promise<void> | undefined;

  return {
    url,
    caCert: tls?.caCert,
    authMode,
    uuid: state.uuid,
    users: { ...SEEDED_USERS },
    basicAuth: (name) => {
      const u = requireUser(name);
      return basicHeader(u.username, u.password);
    },
    token: async (name) => {
      if (authMode !== 'uaa')
        throw new Error('token(): the simulator runs basic auth; start it with auth: "uaa"');
      const u = requireUser(name);
      return `bearer ${issuer.mint({ clientId: CLI_CLIENT, user: u.username, scopes: u.scopes, grantType: 'password' }).access_token}`;
    },
    clock:
      clock instanceof ManualClock
        ? { now: () => clock.now(), advance: (ms) => clock.advance(ms) }
        : { now: () => clock.now() },
    faults: { set: (f) => void faults.set(f), clear: () => faults.clear(), get: () => faults.get() },
    requests: {
      list: (f) => log.list(f),
      count: (f) => log.count(f),
      bytes: (f) => log.bytes(f),
      summary: (f) => log.summary(f),
      reset: () => log.reset(),
    },
    tasks: {
      startDeploy: (manifest, user = 'admin', opts = {}) => {
        const check = checkManifest(manifest);
        if (!check.ok) throw new Error(`startDeploy: ${check.code} ${check.description}`);
        const u = requireUser(user);
        const adminTeams = u.scopes.flatMap(
          (s) => /^bosh\.teams\.([^.]+)\.admin$/.exec(s)?.slice(1, 2) ?? [],
        );
        return operations.deploy({
          name: check.name,
          manifestText: manifest,
          doc: check.doc,
          user: u.username,
          adminTeams,
          dryRun: opts.dryRun,
          options: { recreate: opts.recreate === true },
          contextId: opts.contextId,
        }).id;
      },
      startDelete: (name, user = 'admin') => operations.deleteDeployment(name, requireUser(user).username).id,
      startErrand: (deployment, name, user = 'admin') =>
        operations.runErrand(
          { deployment, name, keepAlive: false, whenChanged: false, filters: [] },
          requireUser(user).username,
          '',
        ).id,
      startScan: (deployment, user = 'admin') => operations.scan(deployment, requireUser(user).username).id,
      cancel: (id) => engine.cancel(id),
      get: wireTask,
      list: () => [...state.tasks.keys()].sort((a, b) => a - b).map((id) => wireTask(id)!),
      eventOutput: (id) => taskOrThrow(id).eventOutput,
      events: (id) =>
        taskOrThrow(id)
          .eventOutput.split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      resultOutput: (id) => taskOrThrow(id).resultOutput,
      debugOutput: (id) => taskOrThrow(id).debugOutput,
      wait: async (id) => {
        await engine.wait(id);
        return wireTask(id)!;
      },
    },
    audit: { list: () => [...state.audit.all()].reverse().map(eventToWire) },
    deployments: {
      names: () => [...state.deployments.keys()].sort(),
      manifest: (name) => state.deployments.get(name)?.manifest,
    },
    stop: () => {
      stopped ??= (async () => {
        engine.stop();
        clock.cancelAll();
        await server.close();
      })();
      return stopped;
    },
  };
}
