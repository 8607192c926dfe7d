/**
 * `taskEvents` subscribers for the benchmarks, one connection each, as separate browsers would
 * open them: the test suite's SSE and graphql-ws clients, reduced to what the benchmark checks:
 * each record's fingerprint, the errors, and whether the server completed the stream.
 */
import {
  type ExecutionResult,
  subscribeSse as sse,
  type TestSubscription,
  subscribeWs as ws,
} from '../../test/helpers/subscribe.js';
import { fingerprintEvent, TASK_EVENTS } from './records.js';

export interface SubscriberResult {
  transport: 'sse' | 'ws';
  /** One fingerprint per record received, in order. */
  records: string[];
  /** Error results or transport failures; empty when the stream completed cleanly. */
  errors: string[];
  /** True when the server completed the subscription (not a dropped connection). */
  completed: boolean;
}

function take(result: ExecutionResult, out: SubscriberResult): void {
  if (result.errors?.length) {
    for (const e of result.errors) out.errors.push(`${String(e.extensions?.code ?? '')} ${e.message}`.trim());
    return;
  }
  const event = result.data?.taskEvents;
  if (event) out.records.push(fingerprintEvent(event));
}

async function collect(transport: 'sse' | 'ws', subscription: TestSubscription): Promise<SubscriberResult> {
  await subscription.done;
  const out: SubscriberResult = { transport, records: [], errors: [], completed: subscription.completed };
  for (const result of subscription.results) take(result, out);
  return out;
}

/** GraphQL over SSE (yoga's "distinct connections" mode). */
export function subscribeSse(
  graphqlUrl: string,
  taskId: number,
  authorization: string,
): Promise<SubscriberResult> {
  return collect('sse', sse(graphqlUrl, TASK_EVENTS, { id: String(taskId) }, authorization));
}

/** graphql-ws (`graphql-transport-ws`) over its own WebSocket connection. */
export function subscribeWs(
  graphqlUrl: string,
  taskId: number,
  authorization: string,
): Promise<SubscriberResult> {
  return collect('ws', ws(graphqlUrl, TASK_EVENTS, { id: String(taskId) }, authorization));
}
