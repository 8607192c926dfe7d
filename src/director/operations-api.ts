/**
 * The part of `DirectorApi` that covers the Director's operations endpoints: audit events,
 * configs and diffs, variables and certificates, orphans, errands, cloud check, instance state
 * changes and bulk cancel (the Director's own rules are summed up in docs/director-api-notes.md
 * §14). Calls that start a task return its id at once, as `deploy` does.
 */
import type {
  WireConfig,
  WireConfigDiff,
  WireDeploymentCertificate,
  WireDeploymentDiff,
  WireDirectorCertificate,
  WireErrand,
  WireEvent,
  WireOrphanedDisk,
  WireOrphanedVm,
  WireProblem,
  WireVariable,
} from './wire-operations.js';

/** Filters of `GET /events`; each is sent only when given. The Director answers 200 events at most. */
export interface EventListQuery {
  /** Only events with a smaller id: the Director's one way to page. */
  beforeId?: number;
  /** Epoch seconds: only events strictly before. */
  beforeTime?: number;
  /** Epoch seconds: only events at or after this plus one second (the Director's `>= T+1s`). */
  afterTime?: number;
  task?: string;
  deployment?: string;
  instance?: string;
  user?: string;
  action?: string;
  objectType?: string;
  objectName?: string;
}

export interface ConfigListQuery {
  type?: string;
  name?: string;
  /** true: the newest of each type and name; false: the whole history. */
  latest?: boolean;
}

/** One side of `POST /configs/diff`: a stored config by id, or YAML. */
export type ConfigDiffSide = { id: string } | { content: string };

export type ConfigDiffRequest =
  | { from: ConfigDiffSide; to: ConfigDiffSide }
  /** The content against the current config of that type and name. */
  | { type: string; name: string; content: string };

/** The `state` values of the converging `PUT /deployments/{d}/jobs/...` route. */
export type InstanceState = 'started' | 'stopped' | 'detached' | 'restart' | 'recreate';

/**
 * A converging state change, as bosh-cli's start/stop/restart/recreate send it: a deploy of the
 * stored manifest with a state override. No `instanceGroup` means every group (`jobs/*`).
 */
export interface InstanceStateChange {
  deployment: string;
  instanceGroup?: string;
  /** An index or an instance id; needs `instanceGroup`. */
  instance?: string;
  state: InstanceState;
  skipDrain?: boolean;
  /** Group form only: the instance form ignores them. */
  canaries?: string;
  maxInFlight?: string;
  fix?: boolean;
  dryRun?: boolean;
  /** RFC 3339; with `state: 'recreate'` on the group form only. */
  recreateVmsCreatedBefore?: string;
}

export type InstanceAction = 'start' | 'stop' | 'restart' | 'recreate';

/** A non-converging action on one instance (`POST .../actions/{action}`, bosh-cli's `--no-converge`). */
export interface InstanceActionRequest {
  deployment: string;
  instanceGroup: string;
  instance: string;
  action: InstanceAction;
  skipDrain?: boolean;
  /** stop only: delete the VM too. */
  hard?: boolean;
  /** recreate only. */
  ignoreUnresponsiveAgent?: boolean;
}

/** `POST /deployments/{d}/errands/{name}/runs`. */
export interface ErrandRun {
  keepAlive?: boolean;
  whenChanged?: boolean;
  /** `id` is an index, an instance id or `first`; without it, the whole group. */
  instances?: readonly { group: string; id?: string }[];
}

/** `POST /tasks/cancel`: only the keys given are sent; the Director's defaults apply to the rest. */
export interface TaskCancelSelector {
  states?: readonly ('queued' | 'processing')[];
  types?: readonly string[];
  deployment?: string;
}

export interface DirectorOperationsApi {
  /** `GET /events`, newest first, 200 at most. */
  listEvents(query?: EventListQuery): Promise<WireEvent[]>;

  listConfigs(query?: ConfigListQuery): Promise<WireConfig[]>;
  /** `GET /configs/{id}`; an unknown id is NOT_FOUND (440012). */
  getConfig(id: string): Promise<WireConfig>;
  /** `POST /configs`: answers the new config, or the current one when the content is the same. */
  createConfig(config: { type: string; name: string; content: string }): Promise<WireConfig>;
  /** `DELETE /configs?type&name`: true when configs were deleted, false when none was live (404). */
  deleteConfig(type: string, name: string): Promise<boolean>;
  /** `POST /configs/diff` (always redacted by the Director). */
  diffConfigs(request: ConfigDiffRequest): Promise<WireConfigDiff>;
  /**
   * `POST /deployments/{name}/diff`. The Director answers its failures with a 200 carrying an
   * `error`; those become a DIFF_FAILED error here.
   */
  diffDeployment(name: string, manifest: string, redact: boolean): Promise<WireDeploymentDiff>;

  listVariables(deployment: string): Promise<WireVariable[]>;
  /** `[]` from a Director without the endpoint (a plain 404). */
  listCertificateExpiry(deployment: string): Promise<WireDeploymentCertificate[]>;
  /** `GET /director/certificate_expiry`; `[]` from a Director without the endpoint. */
  directorCertificateExpiry(): Promise<WireDirectorCertificate[]>;
  listOrphanedDisks(): Promise<WireOrphanedDisk[]>;
  listOrphanedVms(): Promise<WireOrphanedVm[]>;
  listErrands(deployment: string): Promise<WireErrand[]>;
  listProblems(deployment: string): Promise<WireProblem[]>;

  /** Converging `PUT /deployments/{d}/jobs/{ig|*}[/{id}]` with an empty text/yaml body. */
  changeInstanceState(change: InstanceStateChange, contextId?: string): Promise<number>;
  /** Non-converging `POST .../instance_groups/{ig}/{id}/actions/{action}`. */
  instanceAction(request: InstanceActionRequest, contextId?: string): Promise<number>;
  runErrand(deployment: string, name: string, run: ErrandRun, contextId?: string): Promise<number>;
  /** `POST /deployments/{d}/scans` (the Director does not store a context id on cloud checks). */
  scanDeployment(deployment: string): Promise<number>;
  /** `PUT /deployments/{d}/problems`; a null resolution means the problem's default. */
  resolveProblems(deployment: string, resolutions: Record<string, string | null>): Promise<number>;
  /** `DELETE /disks/{cid}`; an active persistent disk is refused at once (520000). */
  deleteOrphanedDisk(cid: string): Promise<number>;
  /** `PUT /deployments/{d}/instance_groups/{ig}/{id}/ignore`: no task. */
  ignoreInstance(deployment: string, group: string, instance: string, ignore: boolean): Promise<void>;
  /** `POST /tasks/cancel`: the Director answers 204 even when nothing matched. */
  cancelTasks(selector: TaskCancelSelector): Promise<void>;
}
