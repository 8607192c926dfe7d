/**
 * Serving task output the way the Director does.
 *
 * Event and result output live in database columns and are served from a string:
 *  - no Range, a malformed one, several ranges, or an empty output: 200 with the whole text;
 *  - one satisfiable range: 206, `Content-Range: bytes s-e/total`, the byte slice;
 *  - a range starting at or past the end: 416, `Content-Range: bytes *\/total`,
 *    body `Byte range unsatisfiable`.
 * Debug and CPI logs are files: same rules, but `text/plain` and a trailing newline on the 416 body.
 * Offsets are bytes, not characters.
 */
import { HTML, type SimResponse, TEXT_PLAIN } from './response.js';

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a single `bytes=` range against `size`; null means "ignore the header". */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header || size === 0) return null;
  const m = /^bytes=(.*)$/.exec(header.trim());
  if (!m) return null;
  const specs = (m[1] as string).split(',');
  if (specs.length !== 1) return null;
  const spec = (specs[0] as string).trim();
  const r = /^(\d*)-(\d*)$/.exec(spec);
  if (!r) return null;
  const [, from, to] = r as unknown as [string, string, string];
  if (from === '' && to === '') return null;
  if (from === '') {
    // Suffix range: the last N bytes.
    const n = Number(to);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (to !== '' && Number(to) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export function serveOutput(
  content: string,
  rangeHeader: string | undefined,
  kind: 'db' | 'file',
  ignoreRange = false,
): SimResponse {
  const bytes = Buffer.from(content, 'utf8');
  const contentType = kind === 'db' ? HTML : TEXT_PLAIN;
  const range = ignoreRange ? null : parseRange(rangeHeader, bytes.length);
  if (range === null) return { status: 200, headers: { 'Content-Type': contentType }, body: bytes };
  if (range === 'unsatisfiable') {
    return {
      status: 416,
      headers: { 'Content-Type': contentType, 'Content-Range': `bytes */${bytes.length}` },
      body: kind === 'db' ? 'Byte range unsatisfiable' : 'Byte range unsatisfiable\n',
    };
  }
  return {
    status: 206,
    headers: {
      'Content-Type': contentType,
      'Content-Range': `bytes ${range.start}-${range.end}/${bytes.length}`,
    },
    body: bytes.subarray(range.start, range.end + 1),
  };
}
