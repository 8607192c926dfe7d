import { createGraphQLError } from 'graphql-yoga';
import type { DeployOptions } from '../../director/api.js';
import { isDirectorError } from '../../director/errors.js';
import type { WireTask } from '../../director/types.js';
import type { DeployOptions as DeployOptionsInput, MutationResolvers } from '../../generated/resolvers.js';
import type { GatewayContext } from '../context.js';
import { checkContextId, parseTaskId } from '../convert.js';
import { badUserInput, fromDirectorError, type GatewayErrorCode, gatewayError } from '../errors.js';
import { checkManifest } from '../manifest.js';

const COUNT_OR_PERCENT = /^\d{1,6}%?$/;

/** `canaries` and `max_in_flight` are a count or a percentage; the Director fails later on anything else. */
export function checkCountOrPercent(value: string, name: string): string {
  if (!COUNT_OR_PERCENT.test(value)) {
    throw badUserInput(`${name} must be a number or a percentage such as "2" or "30%", got "${value}".`);
  }
  return value;
}

/** Config ids of a deploy diff's context are integers; the Director answers 190025 for unknown ones. */
function contextIds(ids: readonly string[], name: string): number[] {
  return ids.map((id) => {
    if (!/^\d{1,15}$/.test(id)) throw badUserInput(`${name} must hold config ids (integers), got "${id}".`);
    return Number(id);
  });
}

function toDeployOptions(input: DeployOptionsInput | null | undefined): DeployOptions {
  if (!input) return {};
  const options: DeployOptions = {};
  if (input.recreate) options.recreate = true;
  if (input.fix) options.fix = true;
  if (input.dryRun) options.dryRun = true;
  if (input.skipDrainAll) options.skipDrain = '*';
  else if (input.skipDrain && input.skipDrain.length > 0) options.skipDrain = input.skipDrain;
  for (const key of ['canaries', 'maxInFlight'] as const) {
    const value = input[key];
    if (value === null || value === undefined) continue;
    options[key] = checkCountOrPercent(value, `options.${key}`);
  }
  if (input.fromDiff) {
    options.context = {
      cloudConfigIds: contextIds(input.fromDiff.cloudConfigIds, 'options.fromDiff.cloudConfigIds'),
      runtimeConfigIds: contextIds(input.fromDiff.runtimeConfigIds, 'options.fromDiff.runtimeConfigIds'),
    };
  }
  return options;
}

/** Reads back the task a mutation started, so the caller gets its state at once. */
function readTask(id: number, { director }: GatewayContext): Promise<WireTask> {
  return director.getTask(id);
}

/**
 * Reads back a task the Director has just started. If that read fails, the task runs anyway, so
 * the error carries `extensions.taskId`: a client must follow that task, not start another by
 * sending the mutation again. The read is not retried here beyond the client's own GET retries
 * (502, 503, 504): the id is all a client needs, and it gets it at once.
 */
export async function readStartedTask(id: number, ctx: GatewayContext): Promise<WireTask> {
  try {
    return await readTask(id, ctx);
  } catch (error) {
    const started = `Task ${id} was started, but reading it back failed`;
    if (!isDirectorError(error)) {
      throw gatewayError('INTERNAL_SERVER_ERROR', `${started}; follow it by its id.`, { taskId: String(id) });
    }
    const mapped = fromDirectorError(error);
    const { code, http: _http, ...extensions } = mapped.extensions as Record<string, unknown>;
    // No HTTP status of its own (not even UNAUTHENTICATED's 401): the mutation did start a task,
    // and clients that retry on a 401 would start a second one.
    throw createGraphQLError(`${started}: ${mapped.message} Follow it by its id.`, {
      extensions: { code: code as GatewayErrorCode, ...extensions, taskId: String(id) },
    });
  }
}

export const Mutation: MutationResolvers = {
  deploy: async (_parent, { manifest, options, contextId }, ctx) => {
    checkManifest(manifest);
    const deployOptions = toDeployOptions(options);
    const context = checkContextId(contextId);
    const id = await ctx.director.deploy(manifest, deployOptions, context);
    return readStartedTask(id, ctx);
  },
  deleteDeployment: async (_parent, { name, force, contextId }, ctx) => {
    if (name.trim() === '') throw badUserInput('name must not be empty.');
    const context = checkContextId(contextId);
    const id = await ctx.director.deleteDeployment(name, { force: force === true }, context);
    return readStartedTask(id, ctx);
  },
  cancelTask: async (_parent, { id }, ctx) => {
    const taskId = parseTaskId(id);
    try {
      await ctx.director.cancelTask(taskId);
    } catch (error) {
      // The Director refuses with a plain-text 400 when the task is past cancelling.
      if (isDirectorError(error) && error.code === 'BAD_REQUEST') {
        throw gatewayError('TASK_NOT_CANCELLABLE', `Task ${taskId} cannot be cancelled: ${error.message}`, {
          taskId: String(taskId),
        });
      }
      throw error;
    }
    return readTask(taskId, ctx);
  },
};
