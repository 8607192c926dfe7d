/**
 * The Director client's public surface. Everything above the client (loaders, resolvers, the task
 * stream) depends on this interface only, so a test can substitute a recording double and the client
 * can change inside without touching them.
 *
 * A `DirectorApi` is bound to one caller's credentials (`DirectorClient.forCaller`), so a request can
 * never send another user's credentials: there is no way to pass them per call.
 */
import type { DirectorOperationsApi } from './operations-api.js';
import type {
  OutputType,
  TaskState,
  WireDeployment,
  WireInfo,
  WireInstance,
  WireLock,
  WireRelease,
  WireStemcell,
  WireTask,
  WireVm,
  WireVmFull,
} from './types.js';

export interface TaskListQuery {
  /** Sent as `state=a,b,c`. */
  states?: readonly TaskState[];
  deployment?: string;
  contextId?: string;
  /** Always send a limit in practice: the Director has no default and returns every task. */
  limit?: number;
  /** 1 hides internal task types (vms, ssh, fetch_logs...); 2 shows all. */
  verbose?: 1 | 2;
}

export interface DeploymentListQuery {
  excludeConfigs?: boolean;
  excludeReleases?: boolean;
  excludeStemcells?: boolean;
  excludeLock?: boolean;
}

export interface DeployOptions {
  recreate?: boolean;
  /** `'*'` for all instance groups, or a list of instance group names. */
  skipDrain?: '*' | readonly string[];
  fix?: boolean;
  dryRun?: boolean;
  /** A number or a percentage, e.g. "2" or "30%". */
  canaries?: string;
  maxInFlight?: string;
  /**
   * The config ids a deploy diff answered (`POST /deployments/{d}/diff`), sent as `context`: the
   * deploy then uses exactly the configs the diff was computed against (§14).
   */
  context?: { cloudConfigIds: readonly number[]; runtimeConfigIds: readonly number[] };
}

/** What the Director answered to one ranged output request, before line splitting. */
export interface OutputRead {
  /** 200 (whole body), 204 (no output), 206 (a slice), 416 (nothing past the offset). */
  status: 200 | 204 | 206 | 416;
  /** The raw bytes received. */
  body: Buffer;
  /** Byte offset of `body[0]` in the whole output (0 for a 200). */
  start: number;
  /** Total output size when the Director said it (Content-Range), else undefined. */
  total?: number;
}

export interface WaitOptions {
  /** Poll interval; defaults to the client's task poll interval. */
  intervalMs?: number;
  /** Give up (DirectorTimeoutError) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DirectorApi extends DirectorOperationsApi {
  info(): Promise<WireInfo>;

  listTasks(query?: TaskListQuery): Promise<WireTask[]>;
  getTask(id: number): Promise<WireTask>;
  /**
   * One `GET /tasks/{id}/output?type=…`: with `Range: bytes=<from>-` when `from` is given, or
   * `bytes=<from>-<to>` (`to` inclusive, so at most `to - from + 1` bytes) when `to` is given too.
   * An end past the output is fine: the Director answers up to its last byte.
   */
  readTaskOutput(id: number, type: OutputType, from?: number, to?: number): Promise<OutputRead>;
  /**
   * Most bytes one ranged output read should ask for (`OutputTail` reads in chunks of this size):
   * the client's setting, never more than its `maxResponseBytes`. Optional for test doubles.
   */
  readonly outputChunkBytes?: number;
  /** The whole output of a task (no Range), as text. Over `maxResponseBytes`: RESPONSE_TOO_LARGE. */
  getTaskOutput(id: number, type: OutputType): Promise<string>;
  /** Polls `GET /tasks/{id}` until the task is terminal and returns it. */
  waitForTask(id: number, options?: WaitOptions): Promise<WireTask>;
  /** `DELETE /task/{id}`. Refusals (finished task) are a DirectorBadRequestError. */
  cancelTask(id: number): Promise<void>;

  listStemcells(): Promise<WireStemcell[]>;
  listReleases(): Promise<WireRelease[]>;
  listDeployments(query?: DeploymentListQuery): Promise<WireDeployment[]>;
  /** `GET /deployments/{name}`: the last successfully deployed manifest, or null. */
  getDeploymentManifest(name: string): Promise<string | null>;
  listVms(deployment: string): Promise<WireVm[]>;
  listInstances(deployment: string): Promise<WireInstance[]>;
  /**
   * `vms?format=full`: starts the `vms` task, waits for it, parses its NDJSON result. Without a
   * `timeoutMs`, the wait ends after the client's `vmsTaskTimeoutMs` (120 s) with DIRECTOR_TIMEOUT.
   */
  listVmsFull(deployment: string, options?: WaitOptions): Promise<WireVmFull[]>;
  /** `instances?format=full`, as `listVmsFull`. */
  listInstancesFull(deployment: string, options?: WaitOptions): Promise<WireVmFull[]>;
  listLocks(): Promise<WireLock[]>;

  /** `POST /deployments` with the manifest as text/yaml. Returns the started task's id at once. */
  deploy(manifest: string, options?: DeployOptions, contextId?: string): Promise<number>;
  /** `DELETE /deployments/{name}`. Returns the started task's id at once. */
  deleteDeployment(name: string, options?: { force?: boolean }, contextId?: string): Promise<number>;
}
