/** Manifests and queries shared by the subscription tests. */

export { deployManifest as manifest } from '../helpers/manifests.js';

export const FAILING = ', env: {bosh: {simulate_failure: true}}';

export const TASK_EVENTS = `subscription($id: ID!, $after: String) {
  taskEvents(id: $id, after: $after) {
    __typename time cursor
    ... on TaskStageEvent { stage tags total task index state progress status error }
    ... on TaskErrorEvent { code message }
    ... on TaskWarningEvent { message }
    ... on TaskDeprecationEvent { message }
  }
}`;

export const TASK_UPDATED = `subscription($id: ID!) { taskUpdated(id: $id) { id state finishedAt result } }`;

/** The records of a subscription's results, failing loudly on an error result. */
// biome-ignore lint/suspicious/noExplicitAny: results are arbitrary JSON
export function records(results: { data?: any; errors?: unknown[] }[], field = 'taskEvents'): any[] {
  return results.map((r) => {
    if (r.errors) throw new Error(`unexpected error result: ${JSON.stringify(r.errors)}`);
    return r.data[field];
  });
}

/** What the Director wrote, as the fields the subscription shows, to compare with the stream. */
export function expectedStages(log: Record<string, unknown>[]): string[] {
  return log.map((record) => {
    if ('stage' in record) return `stage:${record.stage}:${record.task}:${record.state}:${record.progress}`;
    if ('error' in record) return `error:${(record.error as { code: number }).code}`;
    return `${record.type}:${record.message}`;
  });
}

// biome-ignore lint/suspicious/noExplicitAny: records are arbitrary JSON
export function shownStages(received: any[]): string[] {
  return received.map((r) => {
    if (r.__typename === 'TaskStageEvent')
      return `stage:${r.stage}:${r.task}:${r.state.toLowerCase()}:${r.progress}`;
    if (r.__typename === 'TaskErrorEvent') return `error:${r.code}`;
    return `${r.__typename === 'TaskWarningEvent' ? 'warning' : 'deprecation'}:${r.message}`;
  });
}

/** Polls `check` every few ms until it holds (or throws after `limitMs`). Not a timing assertion. */
export async function until(check: () => boolean, limitMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
