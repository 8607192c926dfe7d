/**
 * The records of one task output that a poller keeps in memory, bounded in records and bytes
 * (docs/task-stream.md, section 6). It is a window over the output: when a bound is passed the
 * oldest records leave, and `start` moves forward. Subscribers behind `start` catch up from the
 * Director with Range instead (section 4).
 */
import type { OutputLine } from './records.js';

export interface BufferLimits {
  /** @default 10000 */
  maxRecords: number;
  /** Bytes of line text kept. @default 8 MiB */
  maxBytes: number;
}

export const DEFAULT_BUFFER_LIMITS: BufferLimits = { maxRecords: 10_000, maxBytes: 8 * 1024 * 1024 };

export class LineBuffer {
  private lines: OutputLine[] = [];
  private head = 0;
  private bytes = 0;
  /** Every byte before this offset has left the buffer (or was never in it). */
  private windowStart = 0;
  /** Offset just past the newest line appended. */
  private windowEnd = 0;

  constructor(private readonly limits: BufferLimits = DEFAULT_BUFFER_LIMITS) {}

  get start(): number {
    return this.windowStart;
  }

  get end(): number {
    return this.windowEnd;
  }

  get size(): number {
    return this.lines.length - this.head;
  }

  /** Appends lines in output order; lines already covered are ignored. */
  append(lines: readonly OutputLine[]): void {
    for (const line of lines) {
      if (line.start < this.windowEnd) continue;
      this.lines.push(line);
      this.bytes += Buffer.byteLength(line.text, 'utf8');
      this.windowEnd = line.end;
    }
    this.evict();
  }

  /**
   * Drops every line and restarts the window at `offset`: the records before it are to be read
   * from the Director (section 4). For records that arrive from another replica past a gap.
   */
  restartAt(offset: number): void {
    this.lines = [];
    this.head = 0;
    this.bytes = 0;
    this.windowStart = offset;
    this.windowEnd = offset;
  }

  /** The first line that starts at or after `offset`, if the buffer has it. */
  firstFrom(offset: number): OutputLine | undefined {
    let low = this.head;
    let high = this.lines.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.lines[mid]!.start < offset) low = mid + 1;
      else high = mid;
    }
    return this.lines[low];
  }

  private evict(): void {
    while (this.size > 0 && (this.size > this.limits.maxRecords || this.bytes > this.limits.maxBytes)) {
      const oldest = this.lines[this.head]!;
      this.head += 1;
      this.bytes -= Buffer.byteLength(oldest.text, 'utf8');
      this.windowStart = oldest.end;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }
}
