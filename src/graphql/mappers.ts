/**
 * Parent types of the resolvers whose Director shape needs more than one wire object (see the
 * `mappers` of codegen.yml). Kept as small as possible: resolvers derive everything else.
 */
import type {
  WireConfig,
  WireInstance,
  WireRelease,
  WireReleaseVersion,
  WireTaskEvent,
  WireVm,
  WireVmFull,
} from '../director/types.js';

/** A release version as `GET /releases` lists it. */
export interface ListedReleaseVersion {
  release: WireRelease;
  version: WireReleaseVersion;
}

/**
 * A release version named by a deployment (`GET /deployments` gives its name and version): the
 * fields that need more read `GET /releases`, only when they are selected.
 */
export interface DeployedReleaseVersion {
  deployed: { name: string; version: string };
}

export type ReleaseVersionParent = ListedReleaseVersion | DeployedReleaseVersion;

/** A release as `GET /releases` lists it, or only its name (from a deployment's release version). */
export type ReleaseParent = WireRelease | { name: string };

export interface TaskEventParent {
  taskId: number;
  record: WireTaskEvent;
  /** Byte offset just past the record's line in the event output: the resume cursor. */
  end: number;
}

export interface VmParent {
  deployment: string;
  vm: WireVm;
  /** Its `vms?format=full` line, when the VM was listed from that task's result. */
  line?: WireVmFull;
}

export interface InstanceParent {
  deployment: string;
  instance: WireInstance;
}

/** A config as the Director sent it; `unchanged` only in the answer of `updateConfig`. */
export interface ConfigParent extends WireConfig {
  unchanged?: boolean;
}
