/**
 * Query limits from a maintained library (GraphQL Armor): a deep or wide query could otherwise fan
 * out into thousands of Director calls. A query over a limit is refused before it runs, with the
 * stable code `QUERY_TOO_COMPLEX`.
 *
 * Left to itself, Armor throws a bare GraphQLError ("Syntax Error: Aliases limit of 30 exceeded")
 * out of validation: no `extensions.code`, and HTTP 200. Here each limit reports its rejection
 * instead: into the validation context, so it comes back with the other validation errors (HTTP
 * 400), or, for the token limit, which runs inside the parser and has no context, as the parse
 * error.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** The limits; the README's Errors section describes them. */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 20_000,
  maxTokens: 5_000,
  maxDirectives: 50,
} as const;

function reject(context: ValidationContext | null, error: GraphQLError): void {
  // Armor words every rejection as a syntax error, and shows the cost with all its decimals.
  const message = error.message
    .replace(/^Syntax Error: /, '')
    .replace(/\d+\.\d+/g, (n) => String(Math.ceil(Number(n))));
  const coded = createGraphQLError(message, {
    extensions: { code: QUERY_TOO_COMPLEX, http: { status: 400 } },
  });
  if (context) context.reportError(coded);
  else throw coded;
}

/** Fresh per limit: the options are Armor's to keep. */
const onRejection = () => ({ onReject: [reject], propagateOnRejection: false });

export function useQueryLimits(): Plugin {
  return EnvelopArmorPlugin({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...onRejection() },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...onRejection() },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ...onRejection() },
    maxTokens: { n: QUERY_LIMITS.maxTokens, ...onRejection() },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...onRejection() },
    blockFieldSuggestion: { enabled: false },
  });
}
