/**
 * The GraphQL HTTP handler (graphql-yoga): queries, mutations, and subscriptions over SSE, with
 * GraphiQL served from inlined assets so it works without internet access. Pages of other web
 * origins get no CORS and cannot forge requests (`cross-site.ts`), unless allow-listed.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { maskError } from '../graphql/errors.js';
import type { TaskStreams } from '../stream/task-streams.js';
import { bodyLimitOf, useBodyLimit } from './body-limit.js';
import {
  authorizationOf,
  clientAliveOf,
  createContext,
  DEFAULT_OPERATION_LIMITS,
  type DirectorSource,
  type OperationLimits,
  transportSignalOf,
} from './context.js';
import { corsOptions, useCrossSitePolicy } from './cross-site.js';
import { useSharedSubscriptions } from './fanout/plugin.js';
import { FanoutRegistry } from './fanout/registry.js';
import { GRAPHIQL_TABS } from './graphiql-tabs.js';
import { useOperationGuards } from './operation-guards.js';
import { OriginPolicy } from './origins.js';
import { useQueryLimits } from './query-limits.js';

export interface YogaOptions {
  schema: GraphQLSchema;
  director: DirectorSource;
  /** Serve GraphiQL on GET /graphql from a browser. @default true */
  graphiql?: boolean;
  /** The process-wide task streams that subscriptions share. */
  streams: TaskStreams;
  /** Which web pages may call the gateway. @default its own origin only */
  origins?: OriginPolicy;
  /** Every operation's deadline and call budget. */
  limits?: OperationLimits;
  /** The shared subscription executions (docs/task-stream.md section 11). @default a new registry */
  fanout?: FanoutRegistry;
  plugins?: Plugin[];
}

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GatewayContext>;

/** Masks a shared result's errors once, as yoga's masking does per result on other paths. */
export function maskResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => maskError(error, 'Unexpected error.') as GraphQLError),
  };
}

export function createGatewayYoga(options: YogaOptions): GatewayYoga {
  const origins = options.origins ?? new OriginPolicy();
  const limits = options.limits ?? DEFAULT_OPERATION_LIMITS;
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    cors: corsOptions(origins),
    // No uploads here; multipart is also a body any web page can send without a preflight.
    multipart: false,
    // The body limit is `useBodyLimit`'s (the same 413, cheaper).
    maxRequestBodySize: false,
    context: (initial) => {
      const authorization = authorizationOf(initial as Parameters<typeof authorizationOf>[0]);
      const signal = transportSignalOf(initial as Parameters<typeof transportSignalOf>[0]);
      const alive = clientAliveOf(initial as Parameters<typeof clientAliveOf>[0]);
      return createContext(options.director, options.streams, authorization, signal, limits, alive);
    },
    maskedErrors: { maskError: (error, message) => maskError(error, message) },
    graphiql:
      options.graphiql === false
        ? false
        : { title: 'bosh-graphql', defaultTabs: GRAPHIQL_TABS, subscriptionsProtocol: 'SSE' },
    renderGraphiQL,
    plugins: [
      useCrossSitePolicy(origins),
      useQueryLimits(),
      useOperationGuards(limits),
      useSharedSubscriptions(options.fanout ?? new FanoutRegistry(maskResult), (member, signal) => ({
        ...member,
        ...createContext(options.director, options.streams, member.authorization, signal, limits),
      })),
      ...(options.plugins ?? []),
      useBodyLimit(bodyLimitOf(limits)),
    ],
  });
}
