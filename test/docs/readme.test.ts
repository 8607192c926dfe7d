/**
 * The README against the code: its configuration table is the settings table, its Node versions
 * are package.json's engines, and its error table holds every code the gateway answers, both the
 * ones the source names and the ones a battery of bad requests actually brings back.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_SETTINGS } from '../../src/config.js';
import { CROSS_SITE_REFUSED } from '../../src/server/cross-site.js';
import { QUERY_TOO_COMPLEX } from '../../src/server/query-limits.js';
import { PERSISTED_QUERY_ONLY } from '../../src/server/trusted-documents.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const README = read('README.md');

/** The rows of the first table under a `## heading`, as arrays of trimmed cells. */
function table(heading: string): string[][] {
  const section = README.slice(README.indexOf(`\n## ${heading}\n`));
  const end = section.indexOf('\n## ', 5);
  const lines = (end === -1 ? section : section.slice(0, end)).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const errorCodes = () => new Set(table('Errors').map(([code]) => code!.replace(/`/g, '')));

describe('the configuration table', () => {
  it('has one row per setting of serve, with its flag and its variable', () => {
    const rows = table('Configuration');
    expect(rows).toHaveLength(SERVE_SETTINGS.length);
    for (const setting of SERVE_SETTINGS) {
      const row = rows.find(([flags]) => flags!.includes(`\`${setting.flag}`));
      expect(row, setting.flag).toBeDefined();
      expect(row![1]).toBe(`\`${setting.env}\``);
    }
  });
});

describe('the Node.js versions', () => {
  it("are package.json's engines", () => {
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    expect(README).toContain(`\`engines\` says \`${engines}\``);
    expect(README).toMatch(/Node\.js 22, 24 or 26/);
  });
});

describe('the error table', () => {
  it('lists every code the source gives an error', () => {
    const errors = read('src/graphql/errors.ts');
    const union = /type GatewayErrorCode =([^;]+);/.exec(errors)![1]!;
    const gateway = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!);
    expect(gateway.length).toBeGreaterThan(5);
    // yoga's own codes for requests that never reach an operation, and graphql-js's two kinds.
    const yoga = [
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ];
    const ours = [CROSS_SITE_REFUSED, QUERY_TOO_COMPLEX, PERSISTED_QUERY_ONLY];
    const documented = errorCodes();
    for (const code of [...gateway, ...yoga, ...ours]) expect(documented, code).toContain(code);
  });

  describe('holds every code a battery of bad requests brings back', () => {
    let gw: TestGateway;
    let trusted: TestGateway;
    const seen = new Set<string>();
    beforeAll(async () => {
      gw = await startTestGateway({ configuredClient: false });
      trusted = await startTestGateway({ trustedDocuments: { 'sha256:00': '{ director { name } }' } });
    });
    afterAll(async () => {
      await gw?.close();
      await trusted?.close();
    });

    async function send(
      target: TestGateway,
      body: string,
      headers: Record<string, string> = {},
      method = 'POST',
    ): Promise<void> {
      const response = await target.runtime.gateway.yoga.fetch('http://127.0.0.1/graphql', {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        ...(method === 'POST' ? { body } : {}),
      });
      const reply = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(reply.errors?.length, body).toBeGreaterThan(0);
      for (const error of reply.errors ?? []) {
        expect(error.extensions?.code, `${body}: ${JSON.stringify(error)}`).toBeDefined();
        seen.add(error.extensions!.code!);
      }
    }
    const op = (query: string, variables?: unknown, operationName?: string) =>
      JSON.stringify({ query, variables, operationName });
    const admin = async () => ({ authorization: await gw.auth('admin') });

    it('and each of them is in the table', async () => {
      await send(gw, '{}');
      await send(gw, '{"query":');
      await send(gw, op('{ director { name } }', 'not an object'));
      await send(gw, op('{ director { name } }'), {}, 'PUT');
      await send(gw, op('{ director { '));
      await send(gw, op('{ director { nope } }'));
      await send(gw, op('query ($id: ID!) { task(id: $id) { id } }'));
      await send(gw, op('query A { director { name } } query B { director { name } }'));
      const deep = `{ deployments { ${'releases { release { versions { '.repeat(5)}name${' } } }'.repeat(5)} } }`;
      await send(gw, op(deep), await admin());
      await send(gw, op('{ director { name } }'), { origin: 'https://evil.example' });
      await send(gw, op('{ deployments { name } }'));
      await send(gw, op('{ task(id: "x") { id } }'), await admin());
      await send(gw, op('mutation { cancelTask(id: "1") { id } }'), await admin());
      await send(gw, op('mutation { cancelTask(id: "999999") { id } }'), await admin());
      await send(gw, op('mutation { deleteDeployment(name: "cf") { id } }'), {
        authorization: await gw.auth('reader'),
      });
      gw.sim.faults.set({ errorNext: 1, errorStatus: 500 });
      await send(gw, op('{ releases { name } }'), await admin());
      gw.sim.faults.clear();
      await send(trusted, op('{ director { name } }'));
      await send(trusted, JSON.stringify({ documentId: 'sha256:11' }));

      expect(seen.size).toBeGreaterThanOrEqual(12);
      const documented = errorCodes();
      for (const code of seen) expect(documented, code).toContain(code);
    });
  });
});
