/**
 * Subscriptions adapt the task stream (src/stream, no GraphQL inside) to the schema. A stream
 * that fails ends with one last result carrying the error (code and `lastCursor`), then completes:
 * the same on SSE and WebSocket (docs/task-stream.md, section 5).
 */
import type { GraphQLError } from 'graphql';
import type { OutputType } from '../../director/types.js';
import type { SubscriptionResolvers, TaskOutputType } from '../../generated/resolvers.js';
import { CursorError, decodeCursor, encodeCursor } from '../../stream/cursor.js';
import { StreamError } from '../../stream/errors.js';
import { mapIterator } from '../../stream/iterators.js';
import type { GatewayContext } from '../context.js';
import { parseTaskId } from '../convert.js';
import { badUserInput, gatewayError } from '../errors.js';
import { createLoaders } from '../loaders.js';

export type Payload<T> = { value: T } | { error: GraphQLError };

/** Wraps a stream so that its failure becomes a last payload instead of a transport error. */
export function payloads<T, U>(
  source: AsyncIterableIterator<T>,
  map: (item: T) => U,
  describe: (error: StreamError) => GraphQLError,
): AsyncIterableIterator<Payload<U>> {
  return mapIterator<T, Payload<U>>(
    source,
    (item) => ({ value: map(item) }),
    (error) => ({
      error: describe(
        error instanceof StreamError ? error : new StreamError('DIRECTOR_ERROR', 'The task stream failed.'),
      ),
    }),
  );
}

/**
 * Each pushed result resolves its fields with fresh loaders and a fresh scope (its own deadline
 * and call budget): a subscription's context lives as long as the subscription, and loaders
 * memoise, so without this `taskUpdated { events }` would repeat the first answer for the life of
 * the task.
 */
export function unwrap<T>(payload: Payload<T>, context: GatewayContext): T {
  if ('error' in payload) throw payload.error;
  const api = context.payloadDirector();
  context.loaders = createLoaders(() => api);
  return payload.value;
}

/** How a stream is tied to its operation: its transport, its caller, its authorization read. */
export function streamOptions(context: GatewayContext) {
  return { signal: context.signal, authorization: context.authorization, setup: context.director };
}

/** A stream that cannot start (a refused read, a cap) answers the request with its error. */
export async function starting<T>(start: () => Promise<T> | T): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof StreamError) throw gatewayError(error.code, error.message);
    throw error;
  }
}

function streamError(error: StreamError, taskId: number, type: OutputType): GraphQLError {
  const lastCursor =
    error.offset !== undefined ? encodeCursor({ taskId, type, offset: error.offset }) : undefined;
  return gatewayError(error.code, error.message, lastCursor ? { lastCursor } : {});
}

function startOffset(after: string | null | undefined, taskId: number, type: OutputType): number {
  if (!after) return 0;
  try {
    return decodeCursor(after, taskId, type).offset;
  } catch (error) {
    if (error instanceof CursorError) throw badUserInput(error.message, { argument: 'after' });
    throw error;
  }
}

const OUTPUT_TYPES: Record<TaskOutputType, OutputType> = { DEBUG: 'debug', RESULT: 'result', EVENT: 'event' };

export const Subscription: SubscriptionResolvers = {
  taskEvents: {
    subscribe: async (_parent, { id, after }, context) => {
      const taskId = parseTaskId(id);
      const from = startOffset(after, taskId, 'event');
      const items = await starting(() =>
        context.streams.taskEvents(context.streamDirector(), taskId, from, streamOptions(context)),
      );
      return payloads(
        items,
        (item) => ({ taskId, record: item.record, end: item.end }),
        (error) => streamError(error, taskId, 'event'),
      );
    },
    resolve: (payload: Payload<never>, _args: unknown, context: GatewayContext) => unwrap(payload, context),
  },
  taskOutput: {
    subscribe: async (_parent, { id, type, after }, context) => {
      const taskId = parseTaskId(id);
      const outputType = OUTPUT_TYPES[type];
      const from = startOffset(after, taskId, outputType);
      const lines = await starting(() =>
        context.streams.taskOutput(
          context.streamDirector(),
          taskId,
          outputType,
          from,
          streamOptions(context),
        ),
      );
      return payloads(
        lines,
        (line) => ({ text: line.text, cursor: encodeCursor({ taskId, type: outputType, offset: line.end }) }),
        (error) => streamError(error, taskId, outputType),
      );
    },
    resolve: (payload: Payload<never>, _args: unknown, context: GatewayContext) => unwrap(payload, context),
  },
  taskUpdated: {
    subscribe: async (_parent, { id }, context) => {
      const taskId = parseTaskId(id);
      const tasks = await starting(() =>
        context.streams.taskUpdated(context.streamDirector(), taskId, streamOptions(context)),
      );
      return payloads(
        tasks,
        (task) => task,
        (error) => streamError(error, taskId, 'event'),
      );
    },
    resolve: (payload: Payload<never>, _args: unknown, context: GatewayContext) => unwrap(payload, context),
  },
  runningTasks: {
    subscribe: async (_parent, { deployment }, context) =>
      payloads(
        await starting(() =>
          context.streams.runningTasks(
            context.streamDirector(),
            deployment ?? undefined,
            streamOptions(context),
          ),
        ),
        (tasks) => tasks,
        (error) => gatewayError(error.code, error.message),
      ),
    resolve: (payload: Payload<never>, _args: unknown, context: GatewayContext) => unwrap(payload, context),
  },
};
