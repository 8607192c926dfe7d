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
} from '../director/types.js';

export interface ReleaseVersionParent {
  release: WireRelease;
  version: WireReleaseVersion;
}

export interface TaskEventParent {
  taskId: number;
  record: WireTaskEvent;
  /** Byte offset just past the record's line in the event output: the resume cursor. */
  end: number;
}

export interface VmParent {
  deployment: string;
  vm: WireVm;
}

export interface InstanceParent {
  deployment: string;
  instance: WireInstance;
}

/** A config as the Director sent it; `unchanged` only in the answer of `updateConfig`. */
export interface ConfigParent extends WireConfig {
  unchanged?: boolean;
}
