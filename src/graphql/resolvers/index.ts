import type { Resolvers } from '../../generated/resolvers.js';
import { Config } from './config.js';
import { Deployment } from './deployment.js';
import { DeploymentOperations } from './deployment-operations.js';
import { Director } from './director.js';
import { DirectorEvent } from './director-event.js';
import { DirectorOperations } from './director-operations.js';
import { ErrandResult } from './errand-result.js';
import { InstanceOperations } from './instance-operations.js';
import { Lock } from './lock.js';
import { Mutation } from './mutation.js';
import { MutationOperations } from './mutation-operations.js';
import { OrphanedDisk, OrphanedVm } from './orphans.js';
import { Problem } from './problem.js';
import { Query } from './query.js';
import { QueryOperations } from './query-operations.js';
import { Release, ReleaseVersion } from './release.js';
import { DateTime, JSONScalar } from './scalars.js';
import { Stemcell } from './stemcell.js';
import { Subscription } from './subscription.js';
import { SubscriptionEvents } from './subscription-events.js';
import { Task } from './task.js';
import {
  TaskDeprecationEvent,
  TaskErrorEvent,
  TaskEvent,
  TaskStageEvent,
  TaskWarningEvent,
} from './task-event.js';
import { TaskOperations } from './task-operations.js';
import { Instance, VM, VMDetails, VMProcess, VMVitals } from './vm.js';

/**
 * Types the operations endpoints extend (schema/events.graphql, configs.graphql, ...) take their
 * new fields from a resolver file of their own (`*-operations.ts`), merged here.
 */
export const resolvers: Resolvers = {
  DateTime,
  JSON: JSONScalar,
  Query: { ...Query, ...QueryOperations },
  Mutation: { ...Mutation, ...MutationOperations },
  Subscription: { ...Subscription, ...SubscriptionEvents },
  Director: { ...Director, ...DirectorOperations },
  Deployment: { ...Deployment, ...DeploymentOperations },
  Release,
  ReleaseVersion,
  Stemcell,
  Task: { ...Task, ...TaskOperations },
  TaskEvent,
  TaskStageEvent,
  TaskErrorEvent,
  TaskWarningEvent,
  TaskDeprecationEvent,
  VM,
  Instance: { ...Instance, ...InstanceOperations },
  VMDetails,
  VMVitals,
  VMProcess,
  DirectorEvent,
  Lock,
  Config,
  Problem,
  ErrandResult,
  OrphanedDisk,
  OrphanedVm,
};
