/**
 * Event log records (docs/task-stream.md, section 2): one JSON object per line, in four shapes:
 * stage progress, error, warning and deprecation. Lines that are not JSON, or of an unknown shape,
 * are skipped, as bosh-cli's reporter skips unknown records.
 */
import type { WireTaskEvent } from '../director/types.js';

/** A line of output with its byte offsets in the whole output. */
export interface OutputLine {
  text: string;
  start: number;
  /** Just past the line's newline: the resume position. */
  end: number;
}

/** Splits a whole output into lines with byte offsets, skipping empty lines. */
export function splitOutput(text: string): OutputLine[] {
  const lines: OutputLine[] = [];
  const total = Buffer.byteLength(text, 'utf8');
  let offset = 0;
  for (const piece of text.split('\n')) {
    const start = offset;
    offset += Buffer.byteLength(piece, 'utf8') + 1;
    if (piece.length > 0) lines.push({ text: piece, start, end: Math.min(offset, total) });
  }
  return lines;
}

export function parseEventRecord(text: string): WireTaskEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { time?: unknown }).time !== 'number') {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.stage === 'string') return value as WireTaskEvent;
  if (typeof record.error === 'object' && record.error !== null) return value as WireTaskEvent;
  if ((record.type === 'warning' || record.type === 'deprecation') && typeof record.message === 'string') {
    return value as WireTaskEvent;
  }
  return undefined;
}

export type RecordKind = 'stage' | 'error' | 'warning' | 'deprecation';

export function recordKind(record: WireTaskEvent): RecordKind {
  if ('stage' in record) return 'stage';
  if ('error' in record) return 'error';
  return record.type;
}
