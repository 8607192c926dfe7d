/**
 * A variable that is missing or of the wrong type fails the whole operation before it runs.
 * graphql-js reports that without a code, and yoga adds `BAD_USER_INPUT` only on the subscription
 * path, so over plain HTTP the same mistake came back uncoded. This gives it the code everywhere,
 * as the README's error table says.
 */
import type { ExecutionResult, GraphQLError } from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';

const VARIABLE_ERROR = /^Variable "\$[_A-Za-z][_0-9A-Za-z]*" /;

function coded(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined || !VARIABLE_ERROR.test(error.message)) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

export function useVariableErrorCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || !result.errors?.length) return;
          setResult({ ...result, errors: result.errors.map(coded) } as ExecutionResult);
        },
      };
    },
  };
}
