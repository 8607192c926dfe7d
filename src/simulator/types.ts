/**
 * The simulated Director's internal model. Deliberately its own types (not the gateway's wire
 * types): the simulator is a stand-in for a foreign system and must not share code with its client.
 */

export type TaskState = 'queued' | 'processing' | 'cancelling' | 'cancelled' | 'done' | 'error' | 'timeout';

/**
 * Director task types. Only some are "user facing"; the rest hide from `GET /tasks` at verbose=1.
 */
export type TaskType =
  | 'cck_scan'
  | 'cck_apply'
  | 'cck_scan_and_fix'
  | 'delete_orphan_disks'
  | 'orphan_disk'
  | 'update_deployment'
  | 'delete_deployment'
  | 'update_release'
  | 'update_stemcell'
  | 'vms'
  | 'run_errand'
  | 'update_instance';

/** Types listed by `GET /tasks` when verbose is the (default) exact string "1". */
export const VERBOSE_ONE_TYPES: ReadonlySet<string> = new Set([
  'attach_disk',
  'create_snapshot',
  'delete_deployment',
  'delete_release',
  'delete_snapshot',
  'delete_stemcell',
  'run_errand',
  'snapshot_deployment',
  'update_instance',
  'update_deployment',
  'update_release',
  'update_stemcell',
  'export_release',
]);

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(['done', 'error', 'cancelled', 'timeout']);

export interface Task {
  id: number;
  type: TaskType;
  state: TaskState;
  description: string;
  /** Epoch ms. */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: string | null;
  user: string;
  deployment: string | null;
  contextId: string;
  /** Teams copied from the deployment when the task was created; they never change afterwards. */
  teams: string[];
  eventOutput: string;
  resultOutput: string;
  debugOutput: string;
  /** null until the task makes its first CPI call: the file does not exist yet (answers 204). */
  cpiOutput: string | null;
}

export interface Stemcell {
  id: number;
  name: string;
  os: string;
  version: string;
  cid: string;
  apiVersion: number;
}

export interface ReleaseVersion {
  version: string;
  commitHash: string | null;
  uncommittedChanges: boolean;
  jobs: string[];
  packages: string[];
}

export interface Release {
  name: string;
  versions: ReleaseVersion[];
}

export interface Vitals {
  cpu: { sys: string; user: string; wait: string };
  mem: { kb: string; percent: string };
  swap: { kb: string; percent: string };
  load: string[];
  uptime: { secs: number };
  disk: Record<string, { percent: string; inode_percent: string }>;
}

export interface Vm {
  cid: string;
  agentId: string;
  ips: string[];
  /** Epoch ms. */
  createdAt: number;
  active: boolean;
  /** Seeded fault: the agent does not answer (job_state "unresponsive agent", vitals null). */
  unresponsive: boolean;
  /** Baseline resource use; vms tasks jitter around it. */
  memPercent: number;
  cpuUser: number;
  diskPercent: number;
}

export interface Instance {
  group: string;
  index: number;
  id: string;
  az: string | null;
  bootstrap: boolean;
  ignore: boolean;
  /** Desired state. */
  state: 'started' | 'stopped' | 'detached';
  /** false for errand instance groups: they have no VM between runs. */
  expectsVm: boolean;
  /** The active VM. */
  vm: Vm | null;
  /** VMs that are not active: one left behind by an interrupted create-swap-delete, say. */
  inactiveVms?: Vm[];
  diskCid: string | null;
  vmType: string | null;
  jobs: string[];
  stemcell: { name: string; version: string; apiVersion: number } | null;
  /** Hash of what was deployed to it; a deploy only updates instances whose hash changes. */
  specHash: string;
}

/** A persistent disk kept after its instance went away (`GET /disks`). */
export interface OrphanDisk {
  cid: string;
  /** MB. */
  size: number | null;
  az: string | null;
  deployment: string;
  /** `<ig>/<uuid>`. */
  instance: string;
  cloudProperties: Record<string, unknown>;
  /** Epoch ms. */
  orphanedAt: number;
}

/** A VM the Director let go of without deleting it (`GET /orphaned_vms`). */
export interface OrphanedVm {
  cid: string;
  az: string | null;
  deployment: string;
  /** `<ig>/<uuid>`. */
  instance: string;
  /** With prefix lengths as stored; /32 and /128 are shown without. */
  ips: string[];
  orphanedAt: number;
}

/** A config-server variable a deployment uses. */
export interface Variable {
  /** The config server's id of the value. */
  id: string;
  /** `/<director>/<deployment>/<name>`. */
  name: string;
  /** Not-after of the certificate when the value is one, epoch ms. */
  certificateExpiry?: number;
}

/** A cloud-check problem (`GET /deployments/{d}/problems`). */
export interface Problem {
  id: number;
  deployment: string;
  type: 'unresponsive_agent' | 'missing_vm';
  /** The instance uuid it is about. */
  instanceId: string;
  instanceGroup: string;
  data: Record<string, unknown>;
  description: string;
  state: 'open' | 'closed' | 'resolved';
  createdAt: number;
}

export interface Deployment {
  name: string;
  teams: string[];
  /** The text of the last successful deploy, exactly as sent; null until one succeeds. */
  manifest: string | null;
  releases: { name: string; version: string }[];
  stemcells: { name: string; version: string }[];
  /** Cloud config ids used by the last successful deploy ([] = none). */
  cloudConfigIds: number[];
  /** Runtime config ids used by the last successful deploy. */
  runtimeConfigIds: number[];
  instances: Instance[];
  /** Variables of every variable set kept (`GET .../variables`). */
  variables?: Variable[];
  /** Per errand, the state it last ran against successfully (for `when-changed`). */
  errandRuns?: Record<string, string>;
}

/** A config row (`/configs`): any type, the legacy ones being `cloud`, `runtime` and `cpi`. */
export interface Config {
  id: number;
  type: string;
  name: string;
  /** The YAML text as stored. */
  content: string;
  /** Epoch ms. */
  createdAt: number;
  /** The owning team; null for a global config. */
  team: string | null;
  /** Configs are only ever soft-deleted. */
  deleted: boolean;
}

/** A row of the Director's locks table. */
export interface HeldLock {
  /** The full lock name, e.g. `lock:deployment:cf`; `GET /locks` splits it on `:`. */
  name: string;
  /** The task that created the row. */
  taskId: number;
  uid: string;
  /** Epoch ms it was taken; the holder renews it every 120 s to expire 241 s later. */
  acquiredAt: number;
  /** The deployment named in the lock's acquire and release events, if any. */
  deployment: string | null;
}
