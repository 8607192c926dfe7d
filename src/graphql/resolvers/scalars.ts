import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/*
 * Each scalar repeats its SDL description: makeExecutableSchema copies every property of a
 * GraphQLScalarType given as a resolver onto the schema's type, `description: undefined` included,
 * so without it introspection showed these scalars undocumented.
 */

/** ISO-8601 strings in UTC. Resolvers already produce them from the Director's epoch seconds. */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description:
    'An instant in time, as an ISO-8601 string in UTC, e.g. `2026-11-27T05:06:35Z`.\n' +
    'The Director sends epoch seconds; the gateway converts them.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime cannot represent ${String(value)}`);
    return date.toISOString();
  },
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.');
    }
    return date.toISOString();
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.');
    }
    return new Date(ast.value).toISOString();
  },
});

function literalToJson(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    default:
      throw new GraphQLError('JSON literals cannot contain variables.');
  }
}

/** Any JSON value, passed through as the Director sent it. */
export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description:
    "Any JSON value, passed through as the Director sent it (for example a VM's cloud properties).",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalToJson,
});
