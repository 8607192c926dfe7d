/**
 * Wire types of the Director's operations endpoints (events, locks, configs, diffs, variables,
 * certificates, orphans, errands, cloud check), as real Directors send them. Re-exported by
 * `types.ts`; kept apart so that file stays the tasks-and-deployments core.
 */

/**
 * One audit event of `GET /events`. Every key whose value is nil or `""` is left out by the
 * Director, so most are optional; `context` is always there (`{}` when empty). Ids and the task
 * are strings, the timestamp epoch seconds.
 */
export interface WireEvent {
  id: string;
  parent_id?: string;
  timestamp: number;
  user?: string;
  action?: string;
  object_type?: string;
  object_name?: string;
  error?: string;
  task?: string;
  deployment?: string;
  /** `<group>/<uuid>`; errand events `<group>/<uuid> (<index>)`. */
  instance?: string;
  context: Record<string, unknown>;
}

/** A generic config (`GET /configs`). `team` null means global; `created_at` is `YYYY-MM-DD hh:mm:ss UTC`. */
export interface WireConfig {
  content: string;
  id: string;
  type: string;
  name: string;
  team: string | null;
  created_at: string;
  current: boolean;
}

/** One line of a structural diff: its text and whether it was added, removed, or is context (null). */
export type WireDiffLine = [string, 'added' | 'removed' | null];

/** `POST /configs/diff`: `from.id` only for the type/name/content form (the current config, "0" for none). */
export interface WireConfigDiff {
  from?: { id: string };
  diff: WireDiffLine[];
  error?: string;
}

/**
 * `POST /deployments/{d}/diff`. `context` holds the config ids (integers) a deploy of this
 * manifest should use; it is missing when the answer is a 200 with an `error` instead.
 */
export interface WireDeploymentDiff {
  context?: { cloud_config_ids: number[]; runtime_config_ids: number[] };
  diff: WireDiffLine[];
  error?: string;
}

/** `GET /deployments/{d}/variables`: the config server's id and the full variable name. */
export interface WireVariable {
  id: string;
  name: string;
}

/** `GET /deployments/{d}/certificate_expiry`: `days_left` is floored and negative once expired. */
export interface WireDeploymentCertificate {
  name: string;
  id: string;
  expiry_date: string;
  days_left: number;
}

/** `GET /director/certificate_expiry`: the Director's own certificates. */
export interface WireDirectorCertificate {
  certificate_path: string;
  expiry: string;
  days_left: number;
}

/** `GET /disks`: an orphaned persistent disk. `size` is in MiB; `orphaned_at` `YYYY-MM-DD hh:mm:ss UTC`. */
export interface WireOrphanedDisk {
  disk_cid: string;
  size: number | null;
  az: string | null;
  deployment_name: string;
  instance_name: string;
  cloud_properties: Record<string, unknown> | null;
  orphaned_at: string;
}

/** `GET /orphaned_vms`. */
export interface WireOrphanedVm {
  az: string | null;
  cid: string;
  deployment_name: string;
  instance_name: string;
  ip_addresses: string[];
  orphaned_at: string;
}

/** `GET /deployments/{d}/errands`. */
export interface WireErrand {
  name: string;
}

/** `GET /deployments/{d}/problems`: an open cloud-check problem. */
export interface WireProblem {
  id: number;
  type: string;
  data: Record<string, unknown> | null;
  description: string;
  resolutions: { name: string; plan: string }[];
  /** `unknown job` when the Director cannot tell. */
  instance_group: string;
}

/** One line of a `run_errand` task's result output (one per instance, in no particular order). */
export interface WireErrandResult {
  instance: { group: string; id: string };
  errand_name: string;
  exit_code: number;
  stdout: string;
  stderr: string;
  logs?: { blobstore_id?: string | null; sha1?: string | null };
}
