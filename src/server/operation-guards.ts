/**
 * Checks every operation before it runs, on every transport (HTTP, SSE, WebSocket): its
 * arguments against their bounds, and its estimated Director calls against
 * `--max-director-calls` (README, "Limits"). Either failure answers at once, with nothing sent to
 * the Director: `BAD_USER_INPUT`, or `QUERY_TOO_COMPLEX` with the estimate and the limit in
 * `extensions`.
 *
 * This runs at execution, not validation, because a list's size is often a variable
 * (`tasks(limit: $n)`). A subscription is checked for what each pushed result can cost.
 */
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ArgumentBounds } from '../graphql/guards/arguments.js';
import { CallEstimate } from '../graphql/guards/calls.js';
import { walkOperation } from '../graphql/guards/walk.js';
import { QUERY_TOO_COMPLEX } from './query-limits.js';

export interface GuardLimits {
  /** Estimated Director calls an operation may make. @default 100 */
  maxDirectorCalls: number;
  /** Bytes of a `@text` argument such as a manifest. @default 10 MiB */
  maxManifestBytes: number;
}

interface GuardedArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null | undefined;
  variableValues?: Record<string, unknown> | null | undefined;
}

/** The refusal of an operation, or undefined when it may run. */
export function checkOperation(args: GuardedArgs, limits: GuardLimits): ExecutionResult | undefined {
  const estimate = new CallEstimate();
  const bounds = new ArgumentBounds(limits.maxManifestBytes);
  const failed = walkOperation(args.schema, args.document, args.operationName, args.variableValues, {
    field(visit) {
      bounds.field(visit);
      return estimate.field(visit);
    },
  });
  // Unusable variables or operation: execution answers that itself.
  if (failed) return undefined;
  if (bounds.error) return { errors: [bounds.error] };
  const total = estimate.total;
  if (total <= limits.maxDirectorCalls) return undefined;
  return {
    errors: [
      createGraphQLError(
        `This operation could make about ${total} Director calls; the limit is ${limits.maxDirectorCalls} (--max-director-calls). Ask for fewer items (a smaller limit) or fewer per-item fields at once.`,
        {
          extensions: {
            code: QUERY_TOO_COMPLEX,
            directorCalls: { estimate: total, limit: limits.maxDirectorCalls },
            http: { status: 400 },
          },
        },
      ),
    ],
  };
}

export function useOperationGuards(limits: GuardLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = checkOperation(args, limits);
      if (refusal) setResultAndStopExecution(refusal);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = checkOperation(args, limits);
      if (refusal) setResultAndStopExecution(refusal);
    },
  };
}
