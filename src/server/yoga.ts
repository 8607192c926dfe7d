/**
 * The GraphQL HTTP handler (graphql-yoga): queries, mutations, and subscriptions over SSE, with
 * GraphiQL served from inlined assets so it works without internet access. Pages of other web
 * origins get no CORS and cannot forge requests (`cross-site.ts`), unless allow-listed.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../graphql/context.js';
import { maskError } from '../graphql/errors.js';
import type { TaskStreams } from '../stream/task-streams.js';
import { authorizationOf, createContext, type DirectorSource } from './context.js';
import { corsOptions, useCrossSitePolicy } from './cross-site.js';
import { GRAPHIQL_TABS } from './graphiql-tabs.js';
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
  plugins?: Plugin[];
}

export type GatewayYoga = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export function createGatewayYoga(options: YogaOptions): GatewayYoga {
  const origins = options.origins ?? new OriginPolicy();
  return createYoga<Record<string, unknown>, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    logging: false,
    cors: corsOptions(origins),
    // No uploads here; multipart is also a body any web page can send without a preflight.
    multipart: false,
    context: (initial) => {
      const authorization = authorizationOf(initial as Parameters<typeof authorizationOf>[0]);
      return createContext(options.director, options.streams, authorization);
    },
    maskedErrors: { maskError: (error, message) => maskError(error, message) },
    graphiql:
      options.graphiql === false
        ? false
        : { title: 'bosh-graphql', defaultTabs: GRAPHIQL_TABS, subscriptionsProtocol: 'SSE' },
    renderGraphiQL,
    plugins: [useCrossSitePolicy(origins), useQueryLimits(), ...(options.plugins ?? [])],
  });
}
