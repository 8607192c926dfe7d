import type { QueryResolvers } from '../../generated/resolvers.js';
import { checkContextId, checkLimit, parseTaskId, toWireStates } from '../convert.js';
import { deploymentByName } from '../deployment-lookup.js';
import { prefetchForDeployments } from '../prefetch.js';

export const Query: QueryResolvers = {
  director: (_parent, _args, { loaders }) => loaders.info(),
  deployments: (_parent, _args, { loaders }, info) => {
    const deployments = loaders.deployments();
    prefetchForDeployments(info, loaders);
    return deployments;
  },
  deployment: (_parent, { name }, { loaders }, info) => deploymentByName(name, loaders, info),
  releases: (_parent, _args, { loaders }) => loaders.releases(),
  stemcells: (_parent, _args, { loaders }) => loaders.stemcells(),
  tasks: (_parent, args, { loaders }) =>
    loaders.tasks.load({
      states: toWireStates(args.states),
      deployment: args.deployment ?? undefined,
      contextId: checkContextId(args.contextId),
      limit: checkLimit(args.limit),
      // verbose=1 is the Director's own default: it hides internal tasks such as `vms`.
      verbose: args.includeInternal ? 2 : 1,
    }),
  task: (_parent, { id }, { loaders }) => loaders.task.load(parseTaskId(id)),
};
