import type { DirectorEventResolvers } from '../../generated/resolvers.js';
import { epochToIso } from '../convert.js';

export const DirectorEvent: DirectorEventResolvers = {
  id: (e) => e.id,
  time: (e) => epochToIso(e.timestamp) ?? new Date(0).toISOString(),
  // The Director leaves out every key whose value is nil or "" (director-api-notes §14).
  user: (e) => e.user ?? '',
  action: (e) => e.action ?? '',
  objectType: (e) => e.object_type ?? '',
  objectName: (e) => e.object_name ?? null,
  taskId: (e) => e.task ?? null,
  task: (e, _args, { loaders }) =>
    e.task && /^\d{1,15}$/.test(e.task) ? loaders.task.load(Number(e.task)) : null,
  deploymentName: (e) => e.deployment ?? null,
  // From the deployments list, one call for the whole operation: a page of events costs one
  // more call, not one per event. Deleted deployments, and ones the caller may not read, are null.
  deployment: async (e, _args, { loaders }) =>
    e.deployment ? ((await loaders.deploymentsByName()).get(e.deployment) ?? null) : null,
  instance: (e) => e.instance ?? null,
  parentId: (e) => e.parent_id ?? null,
  parent: (e, _args, { loaders }) => (e.parent_id ? loaders.event.load(e.parent_id) : null),
  error: (e) => e.error ?? null,
  context: (e) => e.context ?? {},
};
