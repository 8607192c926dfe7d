import { TERMINAL_TASK_STATES } from '../../director/types.js';
import type { TaskResolvers } from '../../generated/resolvers.js';
import { parseEventRecord, splitOutput } from '../../stream/records.js';
import { epochToIso, toTaskState } from '../convert.js';
import type { TaskEventParent } from '../mappers.js';

export const Task: TaskResolvers = {
  id: (t) => String(t.id),
  state: (t) => toTaskState(t.state),
  description: (t) => t.description,
  user: (t) => t.user,
  startedAt: (t) => epochToIso(t.started_at),
  // The Director's `timestamp` is the finish time once terminal, and null before.
  finishedAt: (t) => (TERMINAL_TASK_STATES.has(t.state) ? epochToIso(t.timestamp) : null),
  result: (t) => t.result ?? null,
  deploymentName: (t) => t.deployment || null,
  // Looked up in the deployments list (one call for the whole operation), so a list of tasks
  // costs one more call, not one per task. Deleted deployments answer null.
  deployment: async (t, _args, { loaders }) =>
    t.deployment ? ((await loaders.deploymentsByName()).get(t.deployment) ?? null) : null,
  contextId: (t) => t.context_id || null,
  finished: (t) => TERMINAL_TASK_STATES.has(t.state),
  events: async (t, _args, { loaders }) => {
    const text = await loaders.taskOutput.load(`${t.id}:event`);
    return splitOutput(text).flatMap((line): TaskEventParent[] => {
      const record = parseEventRecord(line.text);
      return record ? [{ taskId: t.id, record, end: line.end }] : [];
    });
  },
  resultOutput: async (t, _args, { loaders }) => (await loaders.taskOutput.load(`${t.id}:result`)) || null,
  debugOutput: async (t, _args, { loaders }) => (await loaders.taskOutput.load(`${t.id}:debug`)) || null,
};
