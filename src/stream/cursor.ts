/**
 * Resume cursors (docs/task-stream.md, section 3). A cursor names a byte offset in one output of
 * one task: the position just past a record's line. Clients treat it as opaque; the gateway can
 * resume from it even after the record left every buffer, by asking the Director for
 * `Range: bytes=<offset>-`.
 */
import type { OutputType } from '../director/types.js';

export interface CursorPosition {
  taskId: number;
  type: OutputType;
  /** Byte offset just past the record, i.e. where the next record starts. */
  offset: number;
}

const PREFIX = 'c1';

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${PREFIX}:${position.taskId}:${position.type}:${position.offset}`, 'utf8').toString(
    'base64url',
  );
}

export class CursorError extends Error {
  override name = 'CursorError';
}

/** Decodes a cursor and checks it belongs to this task and output, else throws a CursorError. */
export function decodeCursor(cursor: string, taskId: number, type: OutputType): CursorPosition {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const [prefix, id, kind, offset] = parts;
  if (parts.length !== 4 || prefix !== PREFIX || !/^\d+$/.test(id ?? '') || !/^\d+$/.test(offset ?? '')) {
    throw new CursorError('The cursor is not one this gateway issued.');
  }
  if (Number(id) !== taskId || kind !== type) {
    throw new CursorError(`The cursor belongs to another task or output, not to task ${taskId} (${type}).`);
  }
  return { taskId, type, offset: Number(offset) };
}
