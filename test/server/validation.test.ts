/**
 * Every error of a request the gateway refuses before running it carries a stable
 * `extensions.code`: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, and QUERY_TOO_COMPLEX for
 * the query limits (GraphQL Armor), over HTTP and over WebSocket alike.
 */
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { QUERY_LIMITS } from '../../src/server/query-limits.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

interface Reply {
  status: number;
  errors: { message: string; locations?: unknown[]; extensions?: { code?: unknown } }[];
  data?: unknown;
}

let gw: TestGateway;
let url: string;

beforeAll(async () => {
  gw = await startTestGateway();
  url = await gw.listen();
});
afterAll(() => gw?.close());
beforeEach(() => gw.resetCalls());

/** POSTs one operation the way graphql-over-http clients do, so refusals come with HTTP 400. */
async function post(query: string): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as Omit<Reply, 'status'>;
  return { status: response.status, errors: body.errors ?? [], data: body.data };
}

function codes(reply: { errors: Reply['errors'] }): unknown[] {
  return reply.errors.map((e) => e.extensions?.code);
}

/** `deployments { stemcells { deployments { ... name } } }`, `depth` fields deep. */
function nested(depth: number, leaves = 'name'): string {
  let selection = leaves;
  for (let level = depth - 1; level >= 1; level--) {
    selection = `${level % 2 === 1 ? 'deployments' : 'stemcells'} { ${selection} }`;
  }
  return `{ ${selection} }`;
}

const OVER_ALIASES = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: director { name }`).join(' ')} }`;
const OVER_TOKENS = `{ ${Array(QUERY_LIMITS.maxTokens).fill('__typename').join(' ')} }`;
const OVER_DIRECTIVES = `{ director { ${Array(QUERY_LIMITS.maxDirectives + 1)
  .fill('name @include(if: true)')
  .join(' ')} } }`;
/** As many aliases as allowed, each a chain as deep as allowed: within every limit but the cost. */
const OVER_COST = `{ ${Array.from(
  { length: QUERY_LIMITS.maxAliases },
  (_, i) => `a${i}: ${nested(QUERY_LIMITS.maxDepth, 'name teams cloudConfig locked').slice(2, -2)}`,
).join(' ')} }`;

describe('queries over a limit are refused with QUERY_TOO_COMPLEX before any Director call', () => {
  it.each([
    ['too many aliases', OVER_ALIASES, /Aliases limit of 30 exceeded, found 31/],
    ['too deep', nested(QUERY_LIMITS.maxDepth + 1), /depth limit of 12 exceeded, found 13/],
    ['too many tokens', OVER_TOKENS, /Token limit of 5000 exceeded/],
    ['too many directives', OVER_DIRECTIVES, /Directives limit of 50 exceeded, found 51/],
    ['too costly', OVER_COST, /Cost limit of 20000 exceeded, found \d+\.$/],
  ])('%s', async (_what, query, message) => {
    const reply = await post(query);
    expect(reply.status).toBe(400);
    expect(reply.data).toBeUndefined();
    expect(codes(reply)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(reply.errors[0]?.message).toMatch(message);
    expect(reply.errors[0]?.message).not.toMatch(/Syntax Error/);
    expect(gw.calls()).toEqual([]);
  });

  it('keeps GRAPHQL_VALIDATION_FAILED on the other errors of a query that is also over a limit', async () => {
    const reply = await post(`{ ${nested(QUERY_LIMITS.maxDepth + 1).slice(2, -2)} nope }`);
    expect(reply.status).toBe(400);
    expect(codes(reply).sort()).toEqual(['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX']);
  });

  it('runs a query right at the limits', async () => {
    const aliases = `{ ${Array.from({ length: QUERY_LIMITS.maxAliases }, (_, i) => `a${i}: director { name }`).join(' ')} }`;
    for (const query of [aliases, nested(QUERY_LIMITS.maxDepth)]) {
      const reply = await post(query);
      expect(reply.errors).toEqual([]);
      expect(reply.status).toBe(200);
    }
  });
});

describe('malformed and invalid operations', () => {
  it('answers a syntax error with GRAPHQL_PARSE_FAILED and where it is', async () => {
    const reply = await post('{ director { name ');
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(reply.errors[0]?.locations).toEqual([{ line: 1, column: 19 }]);
    expect(gw.calls()).toEqual([]);
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const reply = await post('{ director { name } nope }');
    expect(reply.status).toBe(400);
    expect(codes(reply)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(reply.errors[0]?.message).toMatch(/Cannot query field "nope"/);
    expect(gw.calls()).toEqual([]);
  });
});

describe('over WebSocket', () => {
  /** Runs operations one after another on one graphql-ws connection, then closes it. */
  async function overOneConnection(queries: string[]) {
    let closes = 0;
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      on: { closed: () => closes++ },
    });
    const outcomes: { data?: unknown; errors: Reply['errors'] }[] = [];
    for (const query of queries) {
      outcomes.push(
        await new Promise((resolve) => {
          let data: unknown;
          client.subscribe(
            { query },
            {
              next: (result) => {
                data = result.data;
              },
              error: (error) =>
                resolve({
                  errors: Array.isArray(error)
                    ? (error as Reply['errors'])
                    : [
                        {
                          message: `connection failed: ${String((error as { reason?: unknown }).reason ?? error)}`,
                        },
                      ],
                }),
              complete: () => resolve({ data, errors: [] }),
            },
          );
        }),
      );
    }
    await client.dispose();
    return { outcomes, closesBeforeDispose: closes };
  }

  it('fails only the operation with a syntax error, with GRAPHQL_PARSE_FAILED, and keeps the connection', async () => {
    const { outcomes, closesBeforeDispose } = await overOneConnection([
      '{ director { name ',
      OVER_ALIASES,
      '{ director { name } }',
    ]);
    expect(closesBeforeDispose).toBe(0);
    const [syntax, aliases, fine] = outcomes;
    expect(codes(syntax!)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(syntax!.errors[0]?.message).toMatch(/Syntax Error: Expected Name/);
    expect(codes(aliases!)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(fine).toEqual({ data: { director: { name: expect.any(String) } }, errors: [] });
  });
});
