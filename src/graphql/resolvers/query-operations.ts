/**
 * The `Query` fields of the operations endpoints (schema: events, locks, configs, orphans). The
 * fields of the tasks and deployments core stay in query.ts.
 */
import type { QueryResolvers } from '../../generated/resolvers.js';
import { parseConfigId, toDiff } from '../diff.js';
import { eventConnection, eventFilters } from '../event-pages.js';
import { checkManifest, checkYamlMapping } from '../manifest.js';

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
  configDiffFor: async (_parent, { type, name, content }, { director }) => {
    checkYamlMapping(content, 'content', 'The config content');
    const answer = await director.diffConfigs({ type, name: name ?? 'default', content });
    return toDiff(answer.diff);
  },
  // The same local check as `deploy`: the Director would answer a bad manifest with a 200 and an
  // error, and its deployment name comes from the manifest.
  deploymentDiff: async (_parent, { manifest, redact }, { director }) => {
    const name = checkManifest(manifest);
    const answer = await director.diffDeployment(name, manifest, redact !== false);
    return toDiff(answer.diff, answer.context ?? { cloud_config_ids: [], runtime_config_ids: [] });
  },
  orphanedDisks: (_parent, _args, { loaders }) => loaders.disks(),
  orphanedVms: (_parent, _args, { loaders }) => loaders.orphanedVms(),
};
