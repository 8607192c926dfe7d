/**
 * The Director-call budget (README, "Limits"): an operation is estimated before it runs and
 * refused over `--max-director-calls`, with nothing sent; the estimate is never below what the
 * operation really costs; and an operation whose lists outgrow their assumed size is stopped at
 * the limit as it runs.
 */

import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';
import { checkOperation } from '../../src/server/operation-guards.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse } from '../helpers/subscribe.js';
import { DEPLOYMENTS_PAGE, deployDirectly } from './support.js';

const FAN_OUT =
  '{ tasks(limit: 1000, includeInternal: true) { id events { time } resultOutput debugOutput } }';

const schema = createSchema();

/** The estimate of an operation, read from the refusal at a limit of 0. */
function estimate(query: string, variables?: Record<string, unknown>): number {
  const refusal = checkOperation(
    { schema, document: parse(query), variableValues: variables },
    { maxDirectorCalls: 0, maxManifestBytes: 1024 },
  );
  const calls = refusal?.errors?.[0]?.extensions?.directorCalls as { estimate: number } | undefined;
  return calls?.estimate ?? 0;
}

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

describe('the Director-call budget', () => {
  it("refuses the issue's fan-out query before any call, with the estimate and the limit", async () => {
    gw.resetCalls();
    const reply = await gw.graphql(FAN_OUT);
    expect(reply.status).toBe(400);
    expect(reply.data ?? null).toBeNull();
    expect(reply.errors?.[0]?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      directorCalls: { estimate: 3001, limit: 100 },
    });
    expect(gw.calls()).toEqual([]);
  });

  it('refuses the same fan-out when the limit comes in a variable', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('query($n: Int) { tasks(limit: $n) { events { time } } }', { n: 500 });
    expect(reply.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(gw.calls()).toEqual([]);
  });

  it('runs { tasks(limit: 30) { events { time } } }, within its estimate', async () => {
    gw.resetCalls();
    const query = '{ tasks(limit: 30) { events { time } } }';
    const reply = await gw.graphql(query);
    expect(reply.errors).toBeUndefined();
    expect(estimate(query)).toBe(31);
    expect(gw.calls().length).toBeLessThanOrEqual(31);
  });

  it('counts a shared call once, a per-object call per object, and a format=full task per deployment', () => {
    expect(estimate(DEPLOYMENTS_PAGE)).toBe(2);
    // Release fields past name and version read /releases, once however many ask.
    expect(estimate('{ deployments { releases { commitHash release { versions { jobNames } } } } }')).toBe(2);
    expect(estimate('{ tasks(limit: 20) { deployment { name } } a: deployments { name } }')).toBe(2);
    // One /deployments, then per deployment (10 assumed) its vms and one format=full task of 5 calls.
    expect(estimate('{ deployments { vms { details { jobState } } } }')).toBe(1 + 10 + 50);
    expect(estimate('{ deployment(name: "cf") { vms { details { jobState } } } }')).toBe(1 + 1 + 5);
    expect(estimate('{ deployments { tasks(limit: 5) { events { time } } } }')).toBe(1 + 10 + 50);
    // Fragments and type conditions count what they select.
    expect(
      estimate(
        '{ task(id: "1") { ...T } } fragment T on Task { events { ... on TaskStageEvent { stage } } }',
      ),
    ).toBe(2);
    expect(estimate('{ tasks(limit: 9) @skip(if: true) { events { time } } }')).toBe(0);
  });

  it('never estimates less than a query of a bounded list really costs', async () => {
    for (const query of [
      DEPLOYMENTS_PAGE,
      '{ deployment(name: "cf") { vms { details { jobState } } instances { details { state } } } }',
      '{ tasks(limit: 10, includeInternal: true) { deployment { name } events { time } resultOutput } }',
      '{ stemcells { name deployments { name teams } } }',
    ]) {
      gw.resetCalls();
      const reply = await gw.graphql(query);
      expect(reply.errors, query).toBeUndefined();
      expect(gw.calls().length, query).toBeLessThanOrEqual(estimate(query));
    }
  });

  it('checks each pushed subscription result, and refuses one that could fan out', async () => {
    const url = await gw.listen();
    gw.resetCalls();
    const sub = subscribeSse(
      url,
      'subscription { taskUpdated(id: "1") { deployment { tasks(limit: 200) { events { time } } } } }',
      {},
      gw.sim.basicAuth('admin'),
    );
    await sub.done;
    expect(sub.results[0]?.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(gw.calls()).toEqual([]);
  });
});

describe('an operation whose lists outgrow their assumed size', () => {
  it('is stopped at the limit as it runs: the calls past it are never sent', async () => {
    const small = await startTestGateway({ limits: { maxDirectorCalls: 12 } });
    try {
      // The seeded deployments plus eight more: more manifests to read than the 10 assumed.
      for (let i = 0; i < 8; i++) await deployDirectly(small, `extra-${i}`);
      const query = '{ deployments { name manifest } }';
      small.resetCalls();
      const reply = await small.graphql(query);
      expect(small.calls()).toHaveLength(12);
      // The list and 11 manifests made the 12 calls; every other manifest was refused unsent.
      const count = reply.data.deployments.length as number;
      expect(count).toBeGreaterThan(11);
      const refused = (reply.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
      expect(refused).toHaveLength(count - 11);
      expect(refused[0]?.path?.[2]).toBe('manifest');
    } finally {
      await small.close();
    }
  });
});

describe('the cost directives of the schema', () => {
  it('give every list whose items can make Director calls a size', () => {
    // A type "calls" when a field of it, or of a type below it, has @directorCalls.
    const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__'));
    const fieldsOf = (t: (typeof types)[number]) =>
      'getFields' in t && typeof t.getFields === 'function'
        ? Object.values(t.getFields() as Record<string, { name: string; type: unknown; astNode?: unknown }>)
        : [];
    const named = (type: unknown): string => String(type).replace(/[[\]!]/g, '');
    const has = (field: { astNode?: unknown }, name: string) =>
      ((field.astNode as { directives?: { name: { value: string } }[] } | undefined)?.directives ?? []).some(
        (d) => d.name.value === name,
      );
    const calls = new Set<string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of types) {
        if (calls.has(t.name)) continue;
        if (fieldsOf(t).some((f) => has(f, 'directorCalls') || calls.has(named(f.type)))) {
          calls.add(t.name);
          changed = true;
        }
      }
    }
    // A connection's `nodes` and `edges` are sized when every field returning the connection
    // names them in its `@listSize(sizedFields:)`.
    const sizedFieldsOf = (field: { astNode?: unknown }): string[] => {
      const directive = (
        (field.astNode as { directives?: { name: { value: string }; arguments?: unknown[] }[] } | undefined)
          ?.directives ?? []
      ).find((d) => d.name.value === 'listSize');
      const arg = (directive?.arguments ?? []).find(
        (a) => (a as { name: { value: string } }).name.value === 'sizedFields',
      ) as { value: { values?: { value: string }[] } } | undefined;
      return (arg?.value.values ?? []).map((v) => v.value);
    };
    const sizedByParent = (typeName: string, fieldName: string) => {
      const returning = types.flatMap((t) => fieldsOf(t).filter((f) => named(f.type) === typeName));
      return returning.length > 0 && returning.every((f) => sizedFieldsOf(f).includes(fieldName));
    };
    const unsized = types.flatMap((t) =>
      fieldsOf(t)
        .filter(
          (f) =>
            String(f.type).includes('[') &&
            calls.has(named(f.type)) &&
            !has(f, 'listSize') &&
            !sizedByParent(t.name, f.name),
        )
        .map((f) => `${t.name}.${f.name}`),
    );
    expect(unsized).toEqual([]);
  });
});
