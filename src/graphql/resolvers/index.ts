import type { Resolvers } from '../../generated/resolvers.js';
import { Deployment } from './deployment.js';
import { Director } from './director.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Release, ReleaseVersion } from './release.js';
import { DateTime, JSONScalar } from './scalars.js';
import { Stemcell } from './stemcell.js';
import { Subscription } from './subscription.js';
import { Task } from './task.js';
import {
  TaskDeprecationEvent,
  TaskErrorEvent,
  TaskEvent,
  TaskStageEvent,
  TaskWarningEvent,
} from './task-event.js';
import { Instance, VM, VMDetails, VMProcess, VMVitals } from './vm.js';

export const resolvers: Resolvers = {
  DateTime,
  JSON: JSONScalar,
  Query,
  Mutation,
  Subscription,
  Director,
  Deployment,
  Release,
  ReleaseVersion,
  Stemcell,
  Task,
  TaskEvent,
  TaskStageEvent,
  TaskErrorEvent,
  TaskWarningEvent,
  TaskDeprecationEvent,
  VM,
  Instance,
  VMDetails,
  VMVitals,
  VMProcess,
};
