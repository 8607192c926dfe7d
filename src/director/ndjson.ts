/**
 * Newline-delimited JSON, as `vms` tasks write their result (docs/director-api-notes.md §4): one
 * object per line, in no particular order, written from a thread pool. Empty lines are skipped;
 * any other line that is not a JSON object makes the whole answer a bad response.
 */
import { DirectorBadResponseError } from './errors.js';

export function parseNdjson<T = Record<string, unknown>>(text: string, route: string): T[] {
  const out: T[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      // The line itself is not echoed: results can be large and hold deployment details.
      throw new DirectorBadResponseError(`Line ${i + 1} of the result of ${route} is not a JSON object`, {
        route,
      });
    }
    out.push(value as T);
  }
  return out;
}
