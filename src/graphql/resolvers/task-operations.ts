/** The `Task` fields of the operations endpoints (audit events); the core fields stay in task.ts. */
import type { TaskResolvers } from '../../generated/resolvers.js';

export const TaskOperations: TaskResolvers = {
  directorEvents: (t, _args, { loaders }) => loaders.events.load({ task: String(t.id) }),
};
