import type { LockResolvers } from '../../generated/resolvers.js';

export const Lock: LockResolvers = {
  type: (l) => l.type,
  resource: (l) => l.resource ?? [],
  taskId: (l) => l.task_id,
  task: (l, _args, { loaders }) =>
    /^\d{1,15}$/.test(l.task_id) ? loaders.task.load(Number(l.task_id)) : null,
  // `timeout` is the expiry as "<epoch seconds>.<microseconds>" (director-api-notes §11).
  expiresAt: (l) => {
    const seconds = Number(l.timeout);
    return Number.isFinite(seconds) ? new Date(Math.floor(seconds * 1000)).toISOString() : null;
  },
};
