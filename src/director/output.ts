/**
 * `GET /tasks/{id}/output?type=…` with `Range: bytes=N-`, or `bytes=N-M` for at most a chunk
 * (docs/director-api-notes.md §3):
 * - 206: a slice; its Content-Range must start where we asked, or the bytes cannot be placed;
 * - 416: nothing past N yet (not an error);
 * - 200: the whole output (no Range sent, an empty output, or a server that ignores Range);
 * - 204: no output at all.
 */
import type { OutputRead } from './api.js';
import { DirectorBadRequestError, DirectorBadResponseError } from './errors.js';
import { query, taskId } from './paths.js';
import type { Requester } from './requester.js';
import type { OutputType } from './types.js';

export const OUTPUT_ROUTE = 'GET /tasks/:id/output';
const OUTPUT_STATUSES: ReadonlySet<number> = new Set([200, 204, 206, 416]);
const OUTPUT_TYPES: ReadonlySet<string> = new Set(['event', 'result', 'debug', 'cpi']);

export interface ContentRange {
  start?: number;
  end?: number;
  total?: number;
}

/** `bytes 5-10/11`, `bytes *\/11` (unsatisfied) or `bytes 5-10/*`; undefined for anything else. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)\s*$/i.exec(value);
  if (!match) return undefined;
  const [, start, end, total] = match;
  return {
    ...(start === undefined ? {} : { start: Number(start) }),
    ...(end === undefined ? {} : { end: Number(end) }),
    ...(total === undefined || total === '*' ? {} : { total: Number(total) }),
  };
}

function outputPath(id: number, type: OutputType): string {
  if (!OUTPUT_TYPES.has(type)) {
    throw new DirectorBadRequestError(`Unknown output type '${String(type)}'`, { route: OUTPUT_ROUTE });
  }
  return `/tasks/${taskId(id, OUTPUT_ROUTE)}/output${query({ type })}`;
}

export async function readTaskOutput(
  requester: Requester,
  id: number,
  type: OutputType,
  from?: number,
  to?: number,
): Promise<OutputRead> {
  if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) {
    throw new DirectorBadRequestError(`Output offset must be a non-negative integer, got ${String(from)}`, {
      route: OUTPUT_ROUTE,
    });
  }
  if (to !== undefined && (!Number.isSafeInteger(to) || to < (from ?? 0))) {
    throw new DirectorBadRequestError(
      `Output range end must be an integer at or past its start, got ${String(to)}`,
      { route: OUTPUT_ROUTE },
    );
  }
  // Rack clamps an end past the output to its last byte, so `to` may run past the end.
  const range = from === undefined && to === undefined ? undefined : `bytes=${from ?? 0}-${to ?? ''}`;
  const path = outputPath(id, type);
  const response = await requester.expect(
    {
      method: 'GET',
      route: OUTPUT_ROUTE,
      path,
      ...(range === undefined ? {} : { headers: { range } }),
    },
    OUTPUT_STATUSES,
  );
  const rawRange = response.headers['content-range'];
  const contentRange = parseContentRange(Array.isArray(rawRange) ? rawRange[0] : rawRange);
  const bad = (why: string) =>
    new DirectorBadResponseError(`The ${type} output of task ${id} came back ${why}`, {
      route: OUTPUT_ROUTE,
      status: response.status,
    });

  switch (response.status) {
    case 206: {
      if (contentRange?.start === undefined || contentRange.end === undefined)
        throw bad('as a 206 without a usable Content-Range');
      if (contentRange.start !== (from ?? 0))
        throw bad(`from byte ${contentRange.start}, not ${from ?? 0} as asked`);
      if (response.body.length !== contentRange.end - contentRange.start + 1)
        throw bad('shorter or longer than its Content-Range');
      return {
        status: 206,
        body: response.body,
        start: contentRange.start,
        ...(contentRange.total === undefined ? {} : { total: contentRange.total }),
      };
    }
    case 416:
      return {
        status: 416,
        body: Buffer.alloc(0),
        start: from ?? 0,
        ...(contentRange?.total === undefined ? {} : { total: contentRange.total }),
      };
    case 204:
      return { status: 204, body: Buffer.alloc(0), start: from ?? 0 };
    default:
      return { status: 200, body: response.body, start: 0, total: response.body.length };
  }
}

/**
 * The whole output as text (no Range); an absent output (204) is the empty string. An output over
 * the client's `maxResponseBytes` fails with RESPONSE_TOO_LARGE, cut off at the limit and not
 * retried; outputs that can grow that large are read in ranges (`OutputTail`).
 */
export async function getTaskOutput(requester: Requester, id: number, type: OutputType): Promise<string> {
  const response = await requester.expect(
    { method: 'GET', route: OUTPUT_ROUTE, path: outputPath(id, type) },
    [200, 204],
  );
  return response.status === 204 ? '' : response.body.toString('utf8');
}
