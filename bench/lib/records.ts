/**
 * One string per event record, the same whether it was read from the Director's raw log (JSON
 * lines) or received as a `taskEvents` result, so a watcher's log can be compared record by
 * record, in order, with what the Director wrote.
 */

/** The fields `TASK_EVENTS` asks for. */
export const TASK_EVENTS = `subscription($id: ID!) {
  taskEvents(id: $id) {
    __typename
    ... on TaskStageEvent { stage task state progress }
    ... on TaskErrorEvent { code }
    ... on TaskWarningEvent { message }
    ... on TaskDeprecationEvent { message }
  }
}`;

/** A raw Director record (one line of the event log, parsed). */
export function fingerprintRaw(record: Record<string, unknown>): string {
  if ('stage' in record)
    return `stage|${String(record.stage)}|${String(record.task)}|${String(record.state)}|${String(record.progress)}`;
  if ('error' in record) return `error|${String((record.error as { code?: unknown }).code)}`;
  return `${String(record.type)}|${String(record.message)}`;
}

/** A `taskEvents` result's record. */
export function fingerprintEvent(event: Record<string, unknown>): string {
  switch (event.__typename) {
    case 'TaskStageEvent':
      return `stage|${String(event.stage)}|${String(event.task)}|${String(event.state).toLowerCase()}|${String(event.progress)}`;
    case 'TaskErrorEvent':
      return `error|${String(event.code)}`;
    case 'TaskWarningEvent':
      return `warning|${String(event.message)}`;
    default:
      return `deprecation|${String(event.message)}`;
  }
}

/** True when `got` is exactly `expected`, in order. */
export function sameSequence(got: readonly string[], expected: readonly string[]): boolean {
  return got.length === expected.length && got.every((value, i) => value === expected[i]);
}
