/**
 * The built schema (SDL of schema/ plus the resolvers) against the contract. Types are
 * told apart by their methods, not with graphql's `is*Type`: the schema is built by
 * @graphql-tools, which may load another copy of graphql than this file does.
 */
import type { GraphQLArgument, GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';

interface FieldLike {
  name: string;
  description?: string | null | undefined;
  args?: readonly GraphQLArgument[];
  type: { toString(): string };
}

interface TypeLike {
  name: string;
  description?: string | null | undefined;
  getFields?: () => Record<string, FieldLike>;
  getValues?: () => readonly { name: string; description?: string | null | undefined }[];
  getInterfaces?: () => readonly { name: string }[];
}

const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

let schema: GraphQLSchema;
beforeAll(() => {
  schema = createSchema();
});

function ownTypes(): TypeLike[] {
  return (Object.values(schema.getTypeMap()) as unknown as TypeLike[]).filter(
    (t) => !t.name.startsWith('__') && !BUILT_IN.has(t.name),
  );
}

function type(name: string): TypeLike {
  const found = schema.getType(name) as unknown as TypeLike | undefined;
  if (!found) throw new Error(`the schema has no type ${name}`);
  return found;
}

function field(typeName: string, fieldName: string): FieldLike {
  const found = type(typeName).getFields?.()[fieldName];
  if (!found) throw new Error(`${typeName} has no field ${fieldName}`);
  return found;
}

/** `name: Type = default` for each argument, as the SDL would print it. */
function signature(typeName: string, fieldName: string): string[] {
  return (field(typeName, fieldName).args ?? []).map((a) => {
    const fallback = a.defaultValue === undefined ? '' : ` = ${JSON.stringify(a.defaultValue)}`;
    return `${a.name}: ${String(a.type)}${fallback}`;
  });
}

describe('descriptions', () => {
  it('documents every type of the schema, scalars included', () => {
    const undocumented = ownTypes()
      .filter((t) => !t.description?.trim())
      .map((t) => t.name);
    expect(undocumented).toEqual([]);
  });

  it('documents every field of every object, interface and input type', () => {
    const undocumented = ownTypes().flatMap((t) =>
      Object.values(t.getFields?.() ?? {})
        .filter((f) => !f.description?.trim())
        .map((f) => `${t.name}.${f.name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents every enum value', () => {
    const undocumented = ownTypes().flatMap((t) =>
      (t.getValues?.() ?? []).filter((v) => !v.description?.trim()).map((v) => `${t.name}.${v.name}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('describes DateTime as ISO-8601 in UTC, as the SDL says', () => {
    expect(type('DateTime').description).toContain('ISO-8601');
    expect(type('DateTime').description).toContain('UTC');
  });
});

describe('the contract of the issue', () => {
  it('has the Query fields with their arguments and defaults', () => {
    expect(Object.keys(type('Query').getFields?.() ?? {})).toEqual(
      expect.arrayContaining([
        'director',
        'deployments',
        'deployment',
        'releases',
        'stemcells',
        'tasks',
        'task',
      ]),
    );
    expect(String(field('Query', 'director').type)).toBe('Director!');
    expect(String(field('Query', 'deployments').type)).toBe('[Deployment!]!');
    expect(String(field('Query', 'deployment').type)).toBe('Deployment');
    expect(signature('Query', 'deployment')).toEqual(['name: String!']);
    expect(String(field('Query', 'releases').type)).toBe('[Release!]!');
    expect(String(field('Query', 'stemcells').type)).toBe('[Stemcell!]!');
    expect(String(field('Query', 'tasks').type)).toBe('[Task!]!');
    expect(signature('Query', 'tasks')).toEqual([
      'states: [TaskState!]',
      'deployment: String',
      'contextId: String',
      'limit: Int = 30',
      'includeInternal: Boolean = false',
    ]);
    expect(String(field('Query', 'task').type)).toBe('Task');
    expect(signature('Query', 'task')).toEqual(['id: ID!']);
  });

  it('has the Mutation fields with their arguments and defaults, each returning a Task', () => {
    expect(signature('Mutation', 'deploy')).toEqual([
      'manifest: String!',
      'options: DeployOptions',
      'contextId: String',
    ]);
    expect(signature('Mutation', 'deleteDeployment')).toEqual([
      'name: String!',
      'force: Boolean = false',
      'contextId: String',
    ]);
    expect(signature('Mutation', 'cancelTask')).toEqual(['id: ID!']);
    for (const name of ['deploy', 'deleteDeployment', 'cancelTask']) {
      expect(String(field('Mutation', name).type)).toBe('Task!');
    }
  });

  it('has the deploy options the Director understands', () => {
    expect(Object.keys(type('DeployOptions').getFields?.() ?? {}).sort()).toEqual(
      [
        'canaries',
        'dryRun',
        'fix',
        'fromDiff',
        'maxInFlight',
        'recreate',
        'skipDrain',
        'skipDrainAll',
      ].sort(),
    );
  });

  it('has the object types of the contract', () => {
    for (const name of [
      'Director',
      'Deployment',
      'Release',
      'ReleaseVersion',
      'Stemcell',
      'Task',
      'VM',
      'VMDetails',
      'TaskStageEvent',
      'TaskErrorEvent',
      'TaskWarningEvent',
      'TaskDeprecationEvent',
    ]) {
      expect(type(name).getFields, name).toBeTypeOf('function');
      expect(type(name).getInterfaces, `${name} is an object type`).toBeTypeOf('function');
    }
  });

  it('has TaskEvent as an interface that the four event types implement', () => {
    const taskEvent = type('TaskEvent');
    expect(taskEvent.getFields).toBeTypeOf('function');
    expect(taskEvent.getValues).toBeUndefined();
    expect(
      schema
        .getPossibleTypes(schema.getType('TaskEvent') as never)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['TaskDeprecationEvent', 'TaskErrorEvent', 'TaskStageEvent', 'TaskWarningEvent']);
    for (const name of ['TaskStageEvent', 'TaskErrorEvent', 'TaskWarningEvent', 'TaskDeprecationEvent']) {
      expect(
        type(name)
          .getInterfaces?.()
          .map((i) => i.name),
      ).toEqual(['TaskEvent']);
    }
  });

  it('has every Director task state in TaskState', () => {
    expect(
      type('TaskState')
        .getValues?.()
        .map((v) => v.name),
    ).toEqual(['QUEUED', 'PROCESSING', 'CANCELLING', 'CANCELLED', 'DONE', 'ERROR', 'TIMEOUT']);
  });

  it('gives VMs their details and vitals as types of their own', () => {
    expect(String(field('VM', 'details').type)).toBe('VMDetails');
    expect(String(field('VMDetails', 'vitals').type)).toBe('VMVitals');
    expect(String(field('VMVitals', 'load').type)).toBe('[Float!]!');
  });
});

describe('the contract of "see everything a BOSH console shows"', () => {
  it('has the audit events, their connection and their live feed', () => {
    expect(signature('Query', 'events')).toEqual([
      'deployment: String',
      'task: ID',
      'instance: String',
      'user: String',
      'action: String',
      'objectType: String',
      'objectName: String',
      'since: DateTime',
      'until: DateTime',
      'first: Int = 50',
      'after: String',
    ]);
    expect(String(field('Query', 'events').type)).toBe('DirectorEventConnection!');
    expect(Object.keys(type('DirectorEventConnection').getFields?.() ?? {})).toEqual([
      'nodes',
      'edges',
      'pageInfo',
    ]);
    expect(String(field('DirectorEventEdge', 'node').type)).toBe('DirectorEvent!');
    expect(Object.keys(type('PageInfo').getFields?.() ?? {})).toEqual(
      expect.arrayContaining(['hasNextPage', 'endCursor']),
    );
    expect(Object.keys(type('DirectorEvent').getFields?.() ?? {})).toEqual(
      expect.arrayContaining(
        ['id', 'time', 'user', 'action', 'objectType', 'objectName', 'task', 'deployment', 'instance'].concat(
          ['parent', 'error', 'context'],
        ),
      ),
    );
    for (const [t, f] of [
      ['Deployment', 'events'],
      ['Instance', 'events'],
    ]) {
      expect(signature(t!, f!)).toEqual(['first: Int = 50', 'after: String']);
      expect(String(field(t!, f!).type)).toBe('DirectorEventConnection!');
    }
    expect(String(field('Task', 'directorEvents').type)).toBe('[DirectorEvent!]!');
    expect(String(field('Task', 'events').type)).toBe('[TaskEvent!]!');
    expect(signature('Subscription', 'directorEvents')).toEqual(['deployment: String']);
    expect(String(field('Subscription', 'directorEvents').type)).toBe('DirectorEvent!');
  });

  it('has locks, configs, diffs, variables, certificates, orphans, errands, problems and instance details', () => {
    expect(String(field('Query', 'locks').type)).toBe('[Lock!]!');
    expect(String(field('Deployment', 'lock').type)).toBe('Lock');
    expect(Object.keys(type('Lock').getFields?.() ?? {})).toEqual(
      expect.arrayContaining(['type', 'resource', 'task', 'expiresAt']),
    );
    expect(signature('Query', 'configs')).toEqual(['type: String', 'name: String', 'latest: Boolean = true']);
    expect(String(field('Query', 'configs').type)).toBe('[Config!]!');
    expect(signature('Query', 'config')).toEqual(['id: ID!']);
    expect(signature('Query', 'configDiff')).toEqual(['fromId: ID!', 'toId: ID!']);
    expect(String(field('Query', 'configDiff').type)).toBe('Diff!');
    expect(String(field('Diff', 'lines').type)).toBe('[DiffLine!]!');
    expect(String(field('DiffLine', 'change').type)).toBe('DiffChange');
    expect(
      type('DiffChange')
        .getValues?.()
        .map((v) => v.name),
    ).toEqual(['ADDED', 'REMOVED']);
    expect(String(field('Deployment', 'variables').type)).toBe('[Variable!]!');
    expect(String(field('Deployment', 'certificateExpiry').type)).toBe('[CertificateExpiry!]!');
    expect(String(field('Director', 'certificateExpiry').type)).toBe('[CertificateExpiry!]!');
    expect(Object.keys(type('CertificateExpiry').getFields?.() ?? {})).toEqual([
      'name',
      'expiresAt',
      'daysLeft',
    ]);
    expect(String(field('Query', 'orphanedDisks').type)).toBe('[OrphanedDisk!]!');
    expect(String(field('Query', 'orphanedVms').type)).toBe('[OrphanedVm!]!');
    expect(String(field('Deployment', 'errands').type)).toBe('[Errand!]!');
    expect(String(field('Deployment', 'problems').type)).toBe('[Problem!]!');
    expect(String(field('Problem', 'resolutions').type)).toBe('[ProblemResolution!]!');
    expect(String(field('Instance', 'details').type)).toBe('VMDetails');
  });
});

describe('the contract of "operate from the graph"', () => {
  it('has the instance actions, each returning the task it started', () => {
    for (const name of ['startInstances', 'stopInstances', 'restartInstances', 'recreateInstances']) {
      expect(signature('Mutation', name), name).toEqual([
        'deployment: String!',
        'instanceGroup: String',
        'instance: String',
        'options: InstanceActionOptions',
        'contextId: String',
      ]);
      expect(String(field('Mutation', name).type)).toBe('Task!');
    }
    expect(Object.keys(type('InstanceActionOptions').getFields?.() ?? {})).toEqual(
      expect.arrayContaining([
        'skipDrain',
        'canaries',
        'maxInFlight',
        'fix',
        'dryRun',
        'ignoreUnresponsiveAgent',
        'hard',
      ]),
    );
  });

  it('has errands, diffs, configs, cloud check, orphans, ignore and bulk cancel', () => {
    expect(signature('Mutation', 'runErrand')).toEqual([
      'deployment: String!',
      'name: String!',
      'instances: [InstanceSelector!]',
      'keepAlive: Boolean',
      'whenChanged: Boolean',
      'contextId: String',
    ]);
    expect(String(field('Task', 'errandResults').type)).toBe('[ErrandResult!]');
    expect(Object.keys(type('ErrandResult').getFields?.() ?? {})).toEqual([
      'errandName',
      'instance',
      'exitCode',
      'stdout',
      'stderr',
      'logsBlobstoreId',
    ]);
    expect(signature('Query', 'deploymentDiff')).toEqual(['manifest: String!', 'redact: Boolean = true']);
    expect(String(field('Query', 'deploymentDiff').type)).toBe('Diff!');
    expect(signature('Mutation', 'updateConfig')).toEqual([
      'type: String!',
      'name: String = "default"',
      'content: String!',
    ]);
    expect(String(field('Mutation', 'updateConfig').type)).toBe('Config!');
    expect(signature('Mutation', 'deleteConfig')).toEqual(['type: String!', 'name: String = "default"']);
    expect(signature('Query', 'configDiffFor')).toEqual([
      'type: String!',
      'name: String = "default"',
      'content: String!',
    ]);
    expect(signature('Mutation', 'scanDeployment')).toEqual(['deployment: String!']);
    expect(signature('Mutation', 'resolveProblems')).toEqual([
      'deployment: String!',
      'resolutions: [ProblemResolutionInput!]!',
    ]);
    expect(signature('Mutation', 'deleteOrphanedDisk')).toEqual(['cid: String!']);
    expect(signature('Mutation', 'ignoreInstance')).toEqual([
      'deployment: String!',
      'instanceGroup: String!',
      'instance: String!',
      'ignore: Boolean!',
    ]);
    expect(String(field('Mutation', 'ignoreInstance').type)).toBe('Boolean!');
    expect(signature('Mutation', 'cancelTasks')).toEqual([
      'states: [TaskState!]',
      'deployment: String',
      'types: [String!]',
    ]);
  });
});
