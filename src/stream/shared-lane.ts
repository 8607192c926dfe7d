/**
 * One lane of a shared task poller (docs/task-stream.md section 13): one output of one task (or
 * its state alone), its Redis keys, its lease token and role, its position in its stream, and the
 * tail it reads the Director with while it holds the lease or polls alone.
 */
import { OutputTail } from '../director/tail.js';
import type { OutputType, WireTask } from '../director/types.js';
import type { StreamError } from './errors.js';
import type { LaneKeys, RedisLink, StreamFollower } from './redis-link.js';
import type { StreamSettings } from './settings.js';
import { ChangeSignal, sleep } from './signal.js';

/** What a stream holds: the state, a line with its cursor, the end of the output, a failure. */
export type LaneRecord =
  | { k: 's'; task: WireTask }
  /** `p`: the previous line's cursor, so a reader sees a gap; `s`, `e`: the line's offsets. */
  | { k: 'l'; p: number; s: number; e: number; x: string }
  | { k: 'd' }
  /** A list feed's read: a `runningTasks` list, or the audit feed's new events (section 13.7). */
  | { k: 'r'; items: unknown }
  | { k: 'f'; code: string; message: string };

/**
 * The lease outlives a holder's round (an interval plus jitter plus its reads) with room to spare,
 * and a dead holder's lease passes on within two intervals: it expires 1.6 intervals after its
 * last renewal, and followers try every quarter interval.
 */
export function leaseTtl(settings: StreamSettings): number {
  return Math.max(50, settings.intervalMs * 1.6);
}

export class Lane implements StreamFollower {
  readonly name: string;
  readonly keys: LaneKeys;
  readonly stream: string;
  lastId = '0';
  role: 'new' | 'holder' | 'follower' | 'alone' = 'new';
  token: string | undefined;
  tail: OutputTail | undefined;
  /** The cursor of the last line this replica appended (or applied while alone). */
  lastEnd = 0;
  publishedRank = -1;
  running = false;
  readonly news = new ChangeSignal();
  private readonly stopper = new AbortController();

  constructor(
    readonly taskId: number,
    readonly type: OutputType | undefined,
    readonly link: RedisLink,
    private readonly onRecord: (record: LaneRecord) => void,
    /** The keys' name; by default `task:<id>:<output or state>`. */
    keyName?: string,
  ) {
    this.name = type ?? 'state';
    this.keys = link.keys(keyName ?? `task:${taskId}:${this.name}`);
    this.stream = this.keys.stream;
  }

  get abort(): AbortSignal {
    return this.stopper.signal;
  }

  get stopped(): boolean {
    return this.stopper.signal.aborted;
  }

  apply(raw: string): void {
    let record: LaneRecord;
    try {
      record = JSON.parse(raw) as LaneRecord;
    } catch {
      return;
    }
    this.onRecord(record);
  }

  startTail(offset: number, settings: StreamSettings): void {
    this.lastEnd = offset;
    if (this.type)
      this.tail = new OutputTail(this.taskId, this.type, offset, {
        maxBytesPerPoll: settings.maxBytesPerPoll,
      });
  }

  async claim(ttlMs: number): Promise<boolean> {
    this.token = await this.link.claim(this.keys, this.token, ttlMs);
    if (!this.token && this.role !== 'follower') {
      this.role = 'follower';
      this.publishedRank = -1;
    }
    return this.token !== undefined;
  }

  async append(ttlMs: number, maxLen: number, records: [number, string][]): Promise<boolean> {
    if (!this.token) return false;
    const ok = await this.link.append(this.keys, this.token, ttlMs, maxLen, records, this.lastEnd);
    if (!ok) this.token = undefined;
    return ok;
  }

  async publishFailure(error: StreamError, settings: StreamSettings): Promise<void> {
    if (!this.token || !this.link.up) return;
    const record = JSON.stringify({ k: 'f', code: error.code, message: error.message });
    await this.link.append(
      this.keys,
      this.token,
      settings.intervalMs * 1.6,
      settings.buffer.maxRecords,
      [[-1, record]],
      -1,
    );
  }

  waitForNews(ms: number, abort: AbortSignal): Promise<void> {
    return Promise.race([this.news.wait(abort), sleep(ms, abort)]);
  }

  /** True when `error` came from Redis, not the Director: the lane then polls alone. */
  redisFailed(error: unknown): boolean {
    const name = (error as { name?: string } | undefined)?.name ?? '';
    const message = (error as { message?: string } | undefined)?.message ?? '';
    return (
      name === 'ReplyError' ||
      name === 'MaxRetriesPerRequestError' ||
      /enableOfflineQueue|Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET/.test(message)
    );
  }

  stop(): void {
    this.stopper.abort();
    this.news.notify();
  }

  /** Gives the lease back once the lane stops, so another replica takes it at once. */
  async letGo(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    if (token && this.link.writable) await this.link.release(this.keys, token).catch(() => undefined);
  }
}
