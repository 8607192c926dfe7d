/**
 * Tailing a task's output line by line (docs/director-api-notes.md §3). Each `poll` reads from just
 * past the bytes already seen, in ranged reads of at most one chunk (`Range: bytes=N-M`), and goes
 * on while the Director's Content-Range says more bytes exist, so an output of any size is read
 * without any one answer outgrowing the client's `maxResponseBytes`. Only whole lines are handed
 * on, and the bytes of a partial line are kept as a Buffer, so a multi-byte UTF-8 character split
 * between two reads comes out intact. Offsets count bytes, as the Director's Range does, never
 * characters.
 */
import type { DirectorApi, OutputRead } from './api.js';
import { DIRECTOR_DEFAULTS } from './defaults.js';
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

export interface OutputTailOptions {
  /**
   * Most bytes one ranged read asks for.
   * @default the API's `outputChunkBytes` (the client's setting), else 4 MiB
   */
  chunkBytes?: number;
  /**
   * Most bytes one `poll` reads before it returns, so a huge output is handed on in slices
   * instead of being held whole in memory; `caughtUp` says whether more was left.
   * @default 16 MiB, or 4 chunks when chunks are larger than 4 MiB
   */
  maxBytesPerPoll?: number;
}

const NEWLINE = 0x0a;
/** Bytes one poll reads at most, by default: bounds memory per poll and per catch-up. */
const DEFAULT_POLL_BUDGET = 16 * 1024 * 1024;

function isChunkSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export class OutputTail {
  readonly taskId: number;
  readonly type: OutputType;
  /** Bytes of whole lines taken from reads: handed on, or waiting in `#ready`. */
  #offset: number;
  /** Bytes after `#offset` that do not end in a newline yet. */
  #partial: Buffer = Buffer.alloc(0);
  /**
   * Lines taken from the reads of a poll that failed on a later chunk. They are handed on first by
   * the next poll, so a failure neither loses nor repeats them, and the bytes are not read again.
   */
  #ready: TailLine[] = [];
  readonly #chunkBytes: number | undefined;
  readonly #maxBytesPerPoll: number | undefined;
  #caughtUp = false;

  /** @param offset byte offset to resume from; it must be a line start (a previous `offset` or `end`). */
  constructor(taskId: number, type: OutputType, offset = 0, options: OutputTailOptions = {}) {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(`OutputTail: offset must be a non-negative integer, got ${String(offset)}`);
    }
    if (options.chunkBytes !== undefined && !isChunkSize(options.chunkBytes)) {
      throw new RangeError(
        `OutputTail: chunkBytes must be a positive integer, got ${String(options.chunkBytes)}`,
      );
    }
    this.taskId = taskId;
    this.type = type;
    this.#offset = offset;
    this.#chunkBytes = options.chunkBytes;
    if (options.maxBytesPerPoll !== undefined && !isChunkSize(options.maxBytesPerPoll)) {
      throw new RangeError(
        `OutputTail: maxBytesPerPoll must be a positive integer, got ${String(options.maxBytesPerPoll)}`,
      );
    }
    this.#maxBytesPerPoll = options.maxBytesPerPoll;
  }

  /**
   * True when the last poll read up to what the Director had at that moment; false when it
   * stopped at `maxBytesPerPoll` with more to read (poll again), or failed.
   */
  get caughtUp(): boolean {
    return this.#caughtUp;
  }

  /** Bytes of whole lines handed on so far (empty ones included): where a new tail would resume. */
  get offset(): number {
    return this.#ready[0]?.start ?? this.#offset;
  }

  /** Bytes read but not handed on yet: a partial line, and lines of a poll that failed midway. */
  get pendingBytes(): number {
    return this.#offset + this.#partial.length - this.offset;
  }

  /**
   * Reads what the Director has past the bytes already seen, one chunk per request, up to
   * `maxBytesPerPoll`, and returns the new whole lines, empty lines skipped; `caughtUp` tells
   * whether it reached the end. If a read fails, the error is thrown and the lines of the reads
   * before it come with the next poll.
   */
  async poll(api: DirectorApi): Promise<TailLine[]> {
    const chunk = this.#chunkBytes ?? (isChunkSize(api.outputChunkBytes) ? api.outputChunkBytes : undefined);
    const chunkBytes = chunk ?? DIRECTOR_DEFAULTS.outputChunkBytes;
    const budget = this.#maxBytesPerPoll ?? Math.max(chunkBytes * 4, DEFAULT_POLL_BUDGET);
    const lines = this.#ready;
    this.#ready = [];
    this.#caughtUp = false;
    let read = 0;
    try {
      for (;;) {
        const from = this.#offset + this.#partial.length;
        const answer = await api.readTaskOutput(this.taskId, this.type, from, from + chunkBytes - 1);
        const fresh = this.#fresh(answer, from);
        if (fresh === undefined) {
          this.#caughtUp = true;
          return lines;
        }
        for (const line of this.#take(fresh)) lines.push(line);
        read += fresh.length;
        if (!moreAfter(answer, fresh.length, chunkBytes)) {
          this.#caughtUp = true;
          return lines;
        }
        // More is there: hand this slice on first, so no poll holds more than its budget.
        if (read >= budget) return lines;
      }
    } catch (error) {
      this.#ready = lines;
      throw error;
    }
  }

  /** The bytes of one answer past `from`; undefined when it brought none (416, 204). */
  #fresh(read: OutputRead, from: number): Buffer | undefined {
    switch (read.status) {
      case 206:
        if (read.start > from) {
          throw new DirectorBadResponseError(
            `The ${this.type} output of task ${this.taskId} skipped from byte ${from} to ${read.start}`,
            { route: 'GET /tasks/:id/output', status: 206 },
          );
        }
        return read.body.subarray(from - read.start);
      case 200:
        // The whole output: new bytes are those past what we already hold, whether the server
        // ignored Range or the output is still empty. Nothing is handed on twice.
        return read.body.length > from ? read.body.subarray(from) : Buffer.alloc(0);
      default:
        // 416: nothing past `from` yet. 204: no output at all.
        return undefined;
    }
  }

  /**
   * The held-back bytes as a last line, once the task is over and no `\n` will come (debug output
   * may end without one). Returns undefined when nothing is held back, and while lines of a poll
   * that failed midway still wait to be handed on (poll again first, so order is kept).
   */
  flush(): TailLine | undefined {
    if (this.#partial.length === 0 || this.#ready.length > 0) return undefined;
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

/**
 * Whether the Director has bytes past this answer right now: a 206 that ends before the total its
 * Content-Range gave, or (no total given) one that filled the whole chunk. A 200 is everything.
 */
function moreAfter(read: OutputRead, freshBytes: number, chunkBytes: number): boolean {
  if (read.status !== 206 || freshBytes === 0) return false;
  const end = read.start + read.body.length;
  return read.total === undefined ? read.body.length >= chunkBytes : end < read.total;
}
