/**
 * Tailing a task's output line by line (docs/director-api-notes.md §3). Each `poll` is one ranged
 * read from just past the bytes already seen; only whole lines are handed on, and the bytes of a
 * partial line are kept as a Buffer, so a multi-byte UTF-8 character split between two reads comes
 * out intact. Offsets count bytes, as the Director's Range does, never characters.
 */
import type { DirectorApi } from './api.js';
import { DirectorBadResponseError } from './errors.js';
import type { OutputType } from './types.js';

export interface TailLine {
  /** The line without its `\n`. */
  text: string;
  /** Byte offset of the line's first byte in the whole output. */
  start: number;
  /** Byte offset just past the line's `\n`: a resume point. */
  end: number;
}

const NEWLINE = 0x0a;

export class OutputTail {
  readonly taskId: number;
  readonly type: OutputType;
  #offset: number;
  /** Bytes after `#offset` that do not end in a newline yet. */
  #partial: Buffer = Buffer.alloc(0);

  /** @param offset byte offset to resume from; it must be a line start (a previous `offset` or `end`). */
  constructor(taskId: number, type: OutputType, offset = 0) {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`OutputTail: offset must be a non-negative integer, got ${String(offset)}`);
    }
    this.taskId = taskId;
    this.type = type;
    this.#offset = offset;
  }

  /** Bytes of whole lines handed on so far (empty ones included): where a new tail would resume. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes read but held back because their line has no `\n` yet. */
  get pendingBytes(): number {
    return this.#partial.length;
  }

  /** One ranged read; returns the new whole lines, empty lines skipped. */
  async poll(api: DirectorApi): Promise<TailLine[]> {
    const from = this.#offset + this.#partial.length;
    const read = await api.readTaskOutput(this.taskId, this.type, from);
    let fresh: Buffer;
    switch (read.status) {
      case 206:
        if (read.start > from) {
          throw new DirectorBadResponseError(
            `The ${this.type} output of task ${this.taskId} skipped from byte ${from} to ${read.start}`,
            { route: 'GET /tasks/:id/output', status: 206 },
          );
        }
        fresh = read.body.subarray(from - read.start);
        break;
      case 200:
        // The whole output: new bytes are those past what we already hold, whether the server
        // ignored Range or the output is still empty. Nothing is handed on twice.
        fresh = read.body.length > from ? read.body.subarray(from) : Buffer.alloc(0);
        break;
      default:
        // 416: nothing past `from` yet. 204: no output at all.
        return [];
    }
    return this.#take(fresh);
  }

  /**
   * The held-back bytes as a last line, once the task is over and no `\n` will come (debug output
   * may end without one). Returns undefined when nothing is held back.
   */
  flush(): TailLine | undefined {
    if (this.#partial.length === 0) return undefined;
    const line = {
      text: this.#partial.toString('utf8'),
      start: this.#offset,
      end: this.#offset + this.#partial.length,
    };
    this.#offset = line.end;
    this.#partial = Buffer.alloc(0);
    return line;
  }

  #take(fresh: Buffer): TailLine[] {
    if (fresh.length === 0) return [];
    const bytes = this.#partial.length === 0 ? fresh : Buffer.concat([this.#partial, fresh]);
    const lines: TailLine[] = [];
    let lineStart = 0;
    for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, lineStart)) {
      if (i > lineStart) {
        lines.push({
          text: bytes.toString('utf8', lineStart, i),
          start: this.#offset + lineStart,
          end: this.#offset + i + 1,
        });
      }
      lineStart = i + 1;
    }
    this.#offset += lineStart;
    // Copy, so the held bytes do not pin the whole response buffer.
    this.#partial = Buffer.from(bytes.subarray(lineStart));
    return lines;
  }
}
