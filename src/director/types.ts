/**
 * Wire types of the BOSH Director REST API v1, as real Directors send them (see
 * docs/director-api-notes.md). Field names stay snake_case: these are the Director's shapes, not
 * ours. The GraphQL layer maps them.
 */

export type TaskState = 'queued' | 'processing' | 'cancelling' | 'cancelled' | 'done' | 'error' | 'timeout';

export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set([
  'cancelled',
  'done',
  'error',
  'timeout',
]);
export const RUNNING_TASK_STATES: readonly TaskState[] = ['queued', 'processing', 'cancelling'];

export interface WireInfo {
  name: string;
  uuid: string;
  version: string;
  user: string | null;
  cpi: string;
  stemcell_os?: string;
  stemcell_version?: string;
  user_authentication: {
    type: 'basic' | 'uaa' | string;
    options: { url?: string; urls?: string[] } & Record<string, unknown>;
  };
  features: Record<string, { status: boolean; extras?: Record<string, unknown> }>;
}

export interface WireTask {
  id: number;
  state: TaskState;
  description: string;
  /** Epoch seconds; null while queued or processing, the finish time once terminal. */
  timestamp: number | null;
  /** Epoch seconds; null until a worker picks the task up. */
  started_at: number | null;
  result: string | null;
  user: string;
  deployment: string | null;
  /** "" when none. */
  context_id: string;
}

export interface WireStemcell {
  name: string;
  operating_system: string | null;
  version: string;
  cid: string;
  cpi: string;
  deployments: { name: string }[];
  api_version: number | null;
  id: number;
}

export interface WireReleaseVersion {
  version: string;
  commit_hash: string | null;
  uncommitted_changes: boolean;
  currently_deployed: boolean;
  job_names: string[];
}

export interface WireRelease {
  name: string;
  release_versions: WireReleaseVersion[];
}

export interface WireDeployment {
  name: string;
  teams: string[];
  cloud_config?: 'none' | 'latest' | 'outdated';
  stemcells?: { name: string; version: string }[];
  releases?: { name: string; version: string }[];
  locked?: boolean;
}

export interface WireVm {
  agent_id: string | null;
  cid: string | null;
  job: string;
  index: number;
  id: string;
  az: string | null;
  ips: string[];
  vm_created_at: string | null;
  active: boolean;
  permanent_nats_credentials?: boolean;
}

export interface WireInstance {
  agent_id: string | null;
  cid: string | null;
  job: string;
  index: number;
  id: string;
  az: string | null;
  ips: string[];
  vm_created_at: string | null;
  expects_vm: boolean;
}

export interface WireDiskVitals {
  percent: string;
  inode_percent: string;
}

export interface WireVitals {
  cpu: { sys: string; user: string; wait: string };
  mem: { kb: string; percent: string };
  swap: { kb: string; percent: string };
  load: [string, string, string] | string[];
  uptime: { secs: number };
  disk: { system?: WireDiskVitals; ephemeral?: WireDiskVitals; persistent?: WireDiskVitals };
}

export interface WireProcess {
  name: string;
  state: string;
  uptime?: { secs: number };
  mem?: { kb: number; percent: number };
  cpu?: { total: number };
}

/** One line of a `vms` task's result (vms?format=full or instances?format=full). */
export interface WireVmFull {
  vm_cid: string | null;
  active: boolean | null;
  vm_created_at: string | null;
  cloud_properties: Record<string, unknown> | null;
  disk_cid: string | null;
  disk_cids: string[];
  ips: string[];
  agent_id: string | null;
  job_name: string;
  index: number;
  job_state: string | null;
  state: string;
  vm_type: string | null;
  vitals: WireVitals | null;
  processes: WireProcess[];
  az: string | null;
  id: string;
  bootstrap: boolean;
  ignore: boolean;
  stemcell?: { name: string | null; version: string | null; api_version: number | null };
}

export interface WireLock {
  type: string;
  resource: string[];
  timeout: string;
  task_id: string;
}

/** Event log records (`GET /tasks/{id}/output?type=event`), one JSON object per line. */
export interface WireStageEvent {
  time: number;
  stage: string;
  tags: string[];
  total: number | null;
  task: string;
  index: number;
  state: 'started' | 'in_progress' | 'finished' | 'failed';
  progress: number;
  data?: { status?: string; error?: string };
}
export interface WireErrorEvent {
  time: number;
  error: { code: number; message: string };
}
export interface WireMessageEvent {
  time: number;
  type: 'warning' | 'deprecation';
  message: string;
}
export type WireTaskEvent = WireStageEvent | WireErrorEvent | WireMessageEvent;

export type OutputType = 'event' | 'result' | 'debug' | 'cpi';

export * from './wire-operations.js';
