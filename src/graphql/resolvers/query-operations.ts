/**
 * The `Query` fields of the operations endpoints (schema: events, locks, configs, orphans). The
 * fields of the tasks and deployments core stay in query.ts.
 */
import type { QueryResolvers } from '../../generated/resolvers.js';
import { parseConfigId, toDiff } from '../diff.js';
import { eventConnection, eventFilters } from '../event-pages.js';

export const QueryOperations: QueryResolvers = {
  events: (_parent, args, { loaders }) =>
    eventConnection(loaders, eventFilters(args), args.first, args.after),
  locks: (_parent, _args, { loaders }) => loaders.locks(),
  configs: (_parent, { type, name, latest }, { loaders }) =>
    loaders.configs.load({
      ...(type ? { type } : {}),
      ...(name ? { name } : {}),
      latest: latest !== false,
    }),
  config: (_parent, { id }, { loaders }) => loaders.config.load(parseConfigId(id, 'id')),
  configDiff: async (_parent, { fromId, toId }, { director }) => {
    const from = parseConfigId(fromId, 'fromId');
    const to = parseConfigId(toId, 'toId');
    return toDiff((await director.diffConfigs({ from: { id: from }, to: { id: to } })).diff);
  },
  orphanedDisks: (_parent, _args, { loaders }) => loaders.disks(),
  orphanedVms: (_parent, _args, { loaders }) => loaders.orphanedVms(),
};
