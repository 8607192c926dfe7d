/**
 * `Subscription.directorEvents`, the live audit feed (docs/task-stream.md, section 12), adapted
 * like the task subscriptions: a refused start answers the request, a later failure is one last
 * result with its code, and each pushed event resolves with fresh loaders and a fresh scope.
 */
import type { SubscriptionResolvers } from '../../generated/resolvers.js';
import type { GatewayContext } from '../context.js';
import { gatewayError } from '../errors.js';
import { type Payload, payloads, starting, streamOptions, unwrap } from './subscription.js';

export const SubscriptionEvents: SubscriptionResolvers = {
  directorEvents: {
    subscribe: async (_parent, { deployment }, context) =>
      payloads(
        await starting(() =>
          context.streams.directorEvents(
            context.streamDirector(),
            deployment ?? undefined,
            streamOptions(context),
          ),
        ),
        (event) => event,
        (error) => gatewayError(error.code, error.message),
      ),
    resolve: (payload: Payload<never>, _args: unknown, context: GatewayContext) => unwrap(payload, context),
  },
};
