/**
 * The whole schema as one SDL file, for frontend tooling (graphql-codegen, editors): printed from
 * the executable schema, so it is exactly what the gateway serves, descriptions included. The same
 * text is `GET /schema.graphql`, `bosh-graphql schema`, and the committed `schema.graphql` that
 * `npm test` keeps fresh.
 *
 * The SDL is no secret: introspection shows the same, and the repository holds it. It is served
 * with trusted documents on too, since codegen needs it to build those documents.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GraphQLSchema, printSchema } from 'graphql';

export const SCHEMA_PATH = '/schema.graphql';

const HEADER = [
  '# The whole bosh-graphql schema, printed from schema/*.graphql: do not edit.',
  '# Regenerate with `npm run schema`; `npm test` fails when this file is stale.',
  '',
].join('\n');

/** The schema as SDL, with a header saying where it comes from. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${HEADER}\n${printSchema(schema)}\n`;
}

/** Answers `GET` and `HEAD /schema.graphql`; false for any other request. */
export function createSchemaRoute(schema: GraphQLSchema) {
  let body: Buffer | undefined;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if ((req.url ?? '/').split('?')[0] !== SCHEMA_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    body ??= Buffer.from(printGatewaySchema(schema), 'utf8');
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
