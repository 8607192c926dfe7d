/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** How a deploy runs. Every option is off unless set. */
export type DeployOptions = {
  /** How many canary instances, as a number or a percentage (`"2"`, `"30%"`). */
  canaries?: string | null | undefined;
  /** Go through the deploy without changing anything. */
  dryRun?: boolean | null | undefined;
  /** Recreate unresponsive VMs. */
  fix?: boolean | null | undefined;
  /**
   * Deploy with the configs of a diff (`deploymentDiff`), as `bosh deploy` does after showing it:
   * a config that changed in between is not picked up unseen. An id the Director does not know (or
   * that belongs to another team) is a BAD_USER_INPUT error.
   */
  fromDiff?: DiffContextInput | null | undefined;
  /** How many instances update at once, as a number or a percentage. */
  maxInFlight?: string | null | undefined;
  /** Recreate every VM, even unchanged ones. */
  recreate?: boolean | null | undefined;
  /** Skip drain scripts on these instance groups. */
  skipDrain?: Array<string> | null | undefined;
  /** Skip drain scripts on every instance group. */
  skipDrainAll?: boolean | null | undefined;
};

/** How a diff line changed. */
export type DiffChange =
  /** The line is new. */
  | 'ADDED'
  /** The line is gone. */
  | 'REMOVED';

/** The configs a deploy diff was computed against, so that the deploy uses the same ones. */
export type DiffContextInput = {
  /** `Diff.cloudConfigIds` of the diff. */
  cloudConfigIds: Array<string | number>;
  /** `Diff.runtimeConfigIds` of the diff. */
  runtimeConfigIds: Array<string | number>;
};

/** The state of one stage step. */
export type TaskStageState =
  /** The step failed; `error` says why. */
  | 'FAILED'
  /** The step ended well (progress 100). */
  | 'FINISHED'
  /** The step is under way; `status` says what it is doing. */
  | 'IN_PROGRESS'
  /** The step began (progress 0). */
  | 'STARTED';

/** Where a task is in its life. */
export type TaskState =
  /** Ended by a cancel. */
  | 'CANCELLED'
  /** Asked to cancel; stops at its next checkpoint. */
  | 'CANCELLING'
  /** Ended successfully. */
  | 'DONE'
  /** Ended with an error. */
  | 'ERROR'
  /** Running. */
  | 'PROCESSING'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** Stopped reporting progress and was given up by the Director. */
  | 'TIMEOUT';

export type DeploymentsPageQueryVariables = Exact<{ [key: string]: never; }>;


export type DeploymentsPageQuery = { deployments: Array<{ name: string, teams: Array<string>, releases: Array<{ name: string, version: string }>, stemcells: Array<{ operatingSystem: string | null, version: string }>, vms: Array<{ instanceId: string | null, active: boolean | null }> }> };

export type DeploymentVitalsQueryVariables = Exact<{
  name: string;
}>;


export type DeploymentVitalsQuery = { deployment: { name: string, vms: Array<{ cid: string | null, active: boolean | null, job: string, index: number, instanceId: string | null, az: string | null, ips: Array<string>, details: { jobState: string | null, vitals: { cpu: { user: number | null, sys: number | null, wait: number | null }, mem: { percent: number | null }, disks: Array<{ name: string, percent: number | null }> } | null, processes: Array<{ name: string, state: string }> } | null }> } | null };

export type DeploymentDiffQueryVariables = Exact<{
  manifest: string;
}>;


export type DeploymentDiffQuery = { deploymentDiff: { cloudConfigIds: Array<string> | null, runtimeConfigIds: Array<string> | null, lines: Array<{ text: string, change: DiffChange | null }> } };

export type DeployMutationVariables = Exact<{
  manifest: string;
  options?: DeployOptions | null | undefined;
}>;


export type DeployMutation = { deploy: { id: string, state: TaskState, description: string, deploymentName: string | null } };

export type TaskEventsSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TaskEventsSubscription = { taskEvents:
    | { __typename: 'TaskDeprecationEvent', message: string, time: string }
    | { __typename: 'TaskErrorEvent', code: number, message: string, time: string }
    | { __typename: 'TaskStageEvent', stage: string, tags: Array<string>, total: number | null, task: string, index: number, state: TaskStageState, progress: number, error: string | null, time: string }
    | { __typename: 'TaskWarningEvent', message: string, time: string }
   };

export type TaskUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TaskUpdatedSubscription = { taskUpdated: { id: string, state: TaskState, result: string | null, finishedAt: string | null } };

export type RunningTasksSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type RunningTasksSubscription = { runningTasks: Array<{ id: string, state: TaskState, description: string, deploymentName: string | null, startedAt: string | null, user: string }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const DeploymentsPageDocument = new TypedDocumentString(`
    query DeploymentsPage {
  deployments {
    name
    teams
    releases {
      name
      version
    }
    stemcells {
      operatingSystem
      version
    }
    vms {
      instanceId
      active
    }
  }
}
    `, {"hash":"sha256:7048587c931dd8939ddd885ece630fb8cbbeb7993b1066d15c7aed2c781bb252"}) as unknown as TypedDocumentString<DeploymentsPageQuery, DeploymentsPageQueryVariables>;
export const DeploymentVitalsDocument = new TypedDocumentString(`
    query DeploymentVitals($name: String!) {
  deployment(name: $name) {
    name
    vms {
      cid
      active
      job
      index
      instanceId
      az
      ips
      details {
        jobState
        vitals {
          cpu {
            user
            sys
            wait
          }
          mem {
            percent
          }
          disks {
            name
            percent
          }
        }
        processes {
          name
          state
        }
      }
    }
  }
}
    `, {"hash":"sha256:a3b0659503c77ecc87c2ea474ddc8d798add2cca23e3987b60a776683486ac9b"}) as unknown as TypedDocumentString<DeploymentVitalsQuery, DeploymentVitalsQueryVariables>;
export const DeploymentDiffDocument = new TypedDocumentString(`
    query DeploymentDiff($manifest: String!) {
  deploymentDiff(manifest: $manifest) {
    lines {
      text
      change
    }
    cloudConfigIds
    runtimeConfigIds
  }
}
    `, {"hash":"sha256:7b3cf34d5dfded56fd7e8beef9f5f6edb030a9d511d38776b0b79f6f4ca503d5"}) as unknown as TypedDocumentString<DeploymentDiffQuery, DeploymentDiffQueryVariables>;
export const DeployDocument = new TypedDocumentString(`
    mutation Deploy($manifest: String!, $options: DeployOptions) {
  deploy(manifest: $manifest, options: $options) {
    id
    state
    description
    deploymentName
  }
}
    `, {"hash":"sha256:3254b9d711d7195510d6f1c8339fc1f41db5a9beaca7d9a9d230904bac98d7ce"}) as unknown as TypedDocumentString<DeployMutation, DeployMutationVariables>;
export const TaskEventsDocument = new TypedDocumentString(`
    subscription TaskEvents($id: ID!) {
  taskEvents(id: $id) {
    __typename
    time
    ... on TaskStageEvent {
      stage
      tags
      total
      task
      index
      state
      progress
      error
    }
    ... on TaskErrorEvent {
      code
      message
    }
    ... on TaskWarningEvent {
      message
    }
    ... on TaskDeprecationEvent {
      message
    }
  }
}
    `, {"hash":"sha256:cd9841751d5703072bc8ee9189f85dbdd8456a3d2a0a9dc4a3b98d3f509499ea"}) as unknown as TypedDocumentString<TaskEventsSubscription, TaskEventsSubscriptionVariables>;
export const TaskUpdatedDocument = new TypedDocumentString(`
    subscription TaskUpdated($id: ID!) {
  taskUpdated(id: $id) {
    id
    state
    result
    finishedAt
  }
}
    `, {"hash":"sha256:2cb3712cbf8e57915884a70174c6782d201efa027f0d11c89311e7d236f9a65b"}) as unknown as TypedDocumentString<TaskUpdatedSubscription, TaskUpdatedSubscriptionVariables>;
export const RunningTasksDocument = new TypedDocumentString(`
    subscription RunningTasks {
  runningTasks {
    id
    state
    description
    deploymentName
    startedAt
    user
  }
}
    `, {"hash":"sha256:fbc3a25454fd4a25ae01f10225faa08072f5bb44f199f1f6dc82e12dcda51dc3"}) as unknown as TypedDocumentString<RunningTasksSubscription, RunningTasksSubscriptionVariables>;