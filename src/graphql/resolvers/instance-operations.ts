import type { InstanceResolvers } from '../../generated/resolvers.js';
import { eventConnection } from '../event-pages.js';

/** The `Instance` fields of the operations endpoints; the core fields stay in vm.ts. */
export const InstanceOperations: InstanceResolvers = {
  // The Director names instances `<group>/<id>` in events.
  events: (p, { first, after }, { loaders }) =>
    eventConnection(
      loaders,
      { deployment: p.deployment, instance: `${p.instance.job}/${p.instance.id}` },
      first,
      after,
    ),
};
