/**
 * The mutations of the operations endpoints (schema: operations, errands, configs, cloud check,
 * orphans). Every permission is the Director's: a caller without the rights gets its refusal as
 * FORBIDDEN, and no mutation reads back anything after a refusal. Options a route does not read
 * are refused here rather than sent and silently ignored.
 */
import type { InstanceState, InstanceStateChange } from '../../director/operations-api.js';
import type {
  InstanceAction,
  InstanceActionOptions,
  MutationResolvers,
  TaskState,
} from '../../generated/resolvers.js';
import { checkContextId } from '../convert.js';
import { badUserInput } from '../errors.js';
import { checkYamlMapping } from '../manifest.js';
import { checkCountOrPercent, readStartedTask } from './mutation.js';

type Option = keyof InstanceActionOptions;

interface Target {
  deployment: string;
  instanceGroup?: string | null;
  instance?: string | null;
  options?: InstanceActionOptions | null;
  contextId?: string | null;
}

function required(value: string, name: string): string {
  if (value.trim() === '') throw badUserInput(`${name} must not be empty.`, { argument: name });
  return value;
}

/** Refuses every option given that is not in `allowed`, naming why it is not taken. */
function onlyOptions(options: InstanceActionOptions, allowed: ReadonlySet<Option>, where: string): void {
  for (const [key, value] of Object.entries(options) as [Option, unknown][]) {
    if (value === null || value === undefined || value === false) continue;
    if (!allowed.has(key)) {
      throw badUserInput(`options.${key} is not taken by ${where}.`, { argument: `options.${key}` });
    }
  }
}

/**
 * The converging change bosh-cli makes (director-api-notes §14): the group form (or `*`) reads
 * `skip_drain`, `canaries`, `max_in_flight`, `fix`, `dry_run`, and with `recreate` the creation
 * time bound; the instance form silently ignores `canaries` and `max_in_flight`, so they are
 * refused there.
 */
function stateChange(state: InstanceState, target: Target): InstanceStateChange {
  const deployment = required(target.deployment, 'deployment');
  const group = target.instanceGroup ?? undefined;
  const instance = target.instance ?? undefined;
  if (group !== undefined) required(group, 'instanceGroup');
  if (instance !== undefined) {
    required(instance, 'instance');
    if (group === undefined) throw badUserInput('instance needs instanceGroup.', { argument: 'instance' });
  }
  const options = target.options ?? {};
  const allowed = new Set<Option>(['skipDrain', 'fix', 'dryRun']);
  if (instance === undefined) {
    allowed.add('canaries').add('maxInFlight');
    if (state === 'recreate') allowed.add('vmsCreatedBefore');
  }
  if (state === 'stopped') allowed.add('hard');
  onlyOptions(options, allowed, instance === undefined ? 'this change' : 'a change of one instance');
  return {
    deployment,
    ...(group === undefined ? {} : { instanceGroup: group }),
    ...(instance === undefined ? {} : { instance }),
    // `bosh stop --hard` is the state `detached`: the VM is deleted, the disks stay.
    state: state === 'stopped' && options.hard ? 'detached' : state,
    ...(options.skipDrain ? { skipDrain: true } : {}),
    ...(options.fix ? { fix: true } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.canaries ? { canaries: checkCountOrPercent(options.canaries, 'options.canaries') } : {}),
    ...(options.maxInFlight
      ? { maxInFlight: checkCountOrPercent(options.maxInFlight, 'options.maxInFlight') }
      : {}),
    ...(options.vmsCreatedBefore ? { recreateVmsCreatedBefore: options.vmsCreatedBefore } : {}),
  };
}

function converging(state: InstanceState): NonNullable<MutationResolvers['startInstances']> {
  return async (_parent, args, ctx) => {
    const change = stateChange(state, args);
    const id = await ctx.director.changeInstanceState(change, checkContextId(args.contextId));
    return readStartedTask(id, ctx);
  };
}

/** What each non-converging action reads (`deployments_controller.rb:135-209`). */
const ACTION_OPTIONS: Record<InstanceAction, ReadonlySet<Option>> = {
  START: new Set(),
  STOP: new Set(['skipDrain', 'hard']),
  RESTART: new Set(['skipDrain']),
  RECREATE: new Set(['skipDrain', 'ignoreUnresponsiveAgent']),
};

/** The Director cancels only queued or processing tasks; it refuses other states with a plain 400. */
const CANCELLABLE: ReadonlySet<TaskState> = new Set(['QUEUED', 'PROCESSING']);

export const MutationOperations: MutationResolvers = {
  startInstances: converging('started'),
  stopInstances: converging('stopped'),
  restartInstances: converging('restart'),
  recreateInstances: converging('recreate'),

  instanceActionWithoutConverging: async (_parent, args, ctx) => {
    const options = args.options ?? {};
    onlyOptions(options, ACTION_OPTIONS[args.action], `the ${args.action} action`);
    const id = await ctx.director.instanceAction(
      {
        deployment: required(args.deployment, 'deployment'),
        instanceGroup: required(args.instanceGroup, 'instanceGroup'),
        instance: required(args.instance, 'instance'),
        action: args.action.toLowerCase() as 'start' | 'stop' | 'restart' | 'recreate',
        skipDrain: options.skipDrain === true,
        hard: options.hard === true,
        ignoreUnresponsiveAgent: options.ignoreUnresponsiveAgent === true,
      },
      checkContextId(args.contextId),
    );
    return readStartedTask(id, ctx);
  },

  ignoreInstance: async (_parent, args, { director }) => {
    await director.ignoreInstance(
      required(args.deployment, 'deployment'),
      required(args.instanceGroup, 'instanceGroup'),
      required(args.instance, 'instance'),
      args.ignore,
    );
    return true;
  },

  runErrand: async (_parent, args, ctx) => {
    const instances = (args.instances ?? []).map((selector, i) => ({
      group: required(selector.group, `instances[${i}].group`),
      ...(selector.id === null || selector.id === undefined
        ? {}
        : { id: required(selector.id, `instances[${i}].id`) }),
    }));
    const id = await ctx.director.runErrand(
      required(args.deployment, 'deployment'),
      required(args.name, 'name'),
      { keepAlive: args.keepAlive === true, whenChanged: args.whenChanged === true, instances },
      checkContextId(args.contextId),
    );
    return readStartedTask(id, ctx);
  },

  /**
   * The Director answers 201 with the current version whether or not it stored a new one, so the
   * current version's id is read first: the same id afterwards means the content was unchanged.
   */
  updateConfig: async (_parent, { type, name, content }, { director }) => {
    required(type, 'type');
    const configName = required(name ?? 'default', 'name');
    checkYamlMapping(content, 'content', 'The config content');
    const before = await director.listConfigs({ type, name: configName, latest: true });
    const current = before.find((c) => c.type === type && c.name === configName && c.current !== false);
    const stored = await director.createConfig({ type, name: configName, content });
    return { ...stored, unchanged: current?.id === stored.id };
  },

  deleteConfig: (_parent, { type, name }, { director }) =>
    director.deleteConfig(required(type, 'type'), required(name ?? 'default', 'name')),

  scanDeployment: async (_parent, { deployment }, ctx) =>
    readStartedTask(await ctx.director.scanDeployment(required(deployment, 'deployment')), ctx),

  resolveProblems: async (_parent, { deployment, resolutions }, ctx) => {
    if (resolutions.length === 0) throw badUserInput('resolutions must name at least one problem.');
    const chosen: Record<string, string> = {};
    for (const { problemId, resolution } of resolutions) {
      if (!/^\d{1,15}$/.test(problemId)) {
        throw badUserInput(`problemId must be a problem id (an integer), got "${problemId.slice(0, 40)}".`);
      }
      if (problemId in chosen) throw badUserInput(`Problem ${problemId} is named twice.`);
      chosen[problemId] = required(resolution, 'resolution');
    }
    const id = await ctx.director.resolveProblems(required(deployment, 'deployment'), chosen);
    return readStartedTask(id, ctx);
  },

  deleteOrphanedDisk: async (_parent, { cid }, ctx) =>
    readStartedTask(await ctx.director.deleteOrphanedDisk(required(cid, 'cid')), ctx),

  cancelTasks: async (_parent, { states, deployment, types }, { director }) => {
    for (const state of states ?? []) {
      if (!CANCELLABLE.has(state)) {
        throw badUserInput(`The Director cancels only QUEUED and PROCESSING tasks, not ${state}.`, {
          argument: 'states',
        });
      }
    }
    await director.cancelTasks({
      // Left out when empty: the Director reads a missing or empty list the same way.
      ...(states && states.length > 0 ? { states: states.map((s) => s.toLowerCase() as 'queued') } : {}),
      ...(types && types.length > 0 ? { types } : {}),
      ...(deployment ? { deployment } : {}),
    });
    return true;
  },
};
