/**
 * The Redis side of the shared pollers (docs/task-stream.md section 13): two connections, the
 * lease and append scripts, and one reader that follows every stream this replica needs.
 *
 * - A lease is `SET key token NX PX ttl`, made in one script with its fencing token (`INCR`, made
 *   unique per replica), renewed by a compare-and-pexpire script each round.
 * - The holder appends with one script that checks its token first (a stalled holder whose lease
 *   passed to another replica appends nothing), drops lines before the stream's last cursor (so
 *   no record is appended twice), trims the stream (`XADD MAXLEN ~`) and keeps the last cursor.
 * - The reader runs `XREAD BLOCK` on its own connection from each stream's last id, and is woken
 *   with `CLIENT UNBLOCK` when a stream is added.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ChangeSignal, sleep } from './signal.js';

/** One followed stream: where it was read up to, and what to do with each record. */
export interface StreamFollower {
  readonly stream: string;
  lastId: string;
  apply(record: string): void;
}

export interface LaneKeys {
  lease: string;
  fence: string;
  stream: string;
  /** The cursor of the last line appended. */
  pos: string;
}

const CLAIM = `
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return ARGV[1] end
if held then return false end
local token = ARGV[3] .. ':' .. redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
if redis.call('SET', KEYS[1], token, 'NX', 'PX', ARGV[2]) then return token end
return false`;

const APPEND = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local pos = tonumber(redis.call('GET', KEYS[3]) or '-1')
local added = 0
for i = 6, #ARGV, 2 do
  local start = tonumber(ARGV[i])
  if start < 0 or start >= pos then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'r', ARGV[i + 1])
    added = added + 1
  end
end
if tonumber(ARGV[5]) > pos then redis.call('SET', KEYS[3], ARGV[5]) end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return added`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** How long a stream and its keys outlive their last append, for late resumes. */
export const STREAM_KEEP_MS = 15 * 60_000;

/** The URL with its password (and user) hidden, for log lines. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

export interface RedisLinkOptions {
  url: string;
  /** Every key starts with it. */
  prefix: string;
  /** Called when the link becomes usable (true) or stops being usable (false). */
  onState(up: boolean, detail: string): void;
}

export class RedisLink {
  readonly replica = randomUUID().slice(0, 8);
  readonly prefix: string;
  /** Leases taken (first or over from another replica), and appends refused by the fence. */
  readonly counters = { taken: 0, fenced: 0 };
  private readonly command: Redis;
  private readonly blocking: Redis;
  private readonly followers = new Map<string, StreamFollower>();
  private readonly added = new ChangeSignal();
  private blockingId: number | undefined;
  private closed = false;
  /** Undefined until the first connection either works or fails. */
  private wasUp: boolean | undefined;

  constructor(private readonly options: RedisLinkOptions) {
    this.prefix = options.prefix;
    const common = {
      // Fail at once while disconnected: the pollers then read the Director on their own.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      // Retry often: the fleet is back to one poller per task as soon as Redis answers again.
      retryStrategy: (times: number) => Math.min(50 * times, 200),
    };
    this.command = new Redis(options.url, { ...common, commandTimeout: 2_000 });
    this.blocking = new Redis(options.url, { ...common, commandTimeout: 4_000 });
    for (const connection of [this.command, this.blocking]) {
      connection.on('ready', () => this.report(false));
      connection.on('close', () => this.report(true));
      // ioredis logs unhandled errors itself; the state change is what operators need.
      connection.on('error', () => undefined);
    }
    this.command.defineCommand('boshClaim', { numberOfKeys: 2, lua: CLAIM });
    this.command.defineCommand('boshAppend', { numberOfKeys: 3, lua: APPEND });
    this.command.defineCommand('boshRelease', { numberOfKeys: 1, lua: RELEASE });
    void this.read();
  }

  /** True while both connections are ready: the pollers share; otherwise each polls alone. */
  get up(): boolean {
    return !this.closed && this.command.status === 'ready' && this.blocking.status === 'ready';
  }

  /** True while commands can be sent: a lease may be given back even as the link closes. */
  get writable(): boolean {
    return this.command.status === 'ready';
  }

  keys(name: string): LaneKeys {
    const base = `${this.prefix}${name}`;
    return { lease: `${base}:lease`, fence: `${base}:fence`, stream: `${base}:stream`, pos: `${base}:pos` };
  }

  /** Takes or renews the lease; answers the token held, or undefined when another replica holds it. */
  async claim(keys: LaneKeys, token: string | undefined, ttlMs: number): Promise<string | undefined> {
    const claim = (this.command as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)
      .boshClaim!;
    const answer = await claim.call(
      this.command,
      keys.lease,
      keys.fence,
      token ?? '',
      Math.ceil(ttlMs),
      this.replica,
      STREAM_KEEP_MS,
    );
    return typeof answer === 'string' ? answer : undefined;
  }

  /** The stream's last cursor, or undefined when it has none (new, expired, or Redis lost it). */
  async lastCursor(keys: LaneKeys): Promise<number | undefined> {
    const value = await this.command.get(keys.pos);
    return value === null ? undefined : Number(value);
  }

  /**
   * Appends records `[start, payload]` (start -1: always appended) if `token` still holds the
   * lease; answers false when it does not (fenced off).
   */
  async append(
    keys: LaneKeys,
    token: string,
    ttlMs: number,
    maxLen: number,
    records: [number, string][],
    cursor: number,
  ): Promise<boolean> {
    const append = (this.command as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)
      .boshAppend!;
    const args = records.flat();
    const answer = await append.call(
      this.command,
      keys.lease,
      keys.stream,
      keys.pos,
      token,
      Math.ceil(ttlMs),
      STREAM_KEEP_MS,
      maxLen,
      cursor,
      ...args,
    );
    return answer !== -1;
  }

  /** Lets the lease go at once, so another replica takes it without waiting for it to expire. */
  async release(keys: LaneKeys, token: string): Promise<void> {
    const release = (this.command as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)
      .boshRelease!;
    await release.call(this.command, keys.lease, token);
  }

  follow(follower: StreamFollower): void {
    this.followers.set(follower.stream, follower);
    this.added.notify();
    // Wake the reader's XREAD so that it reads this stream too.
    if (this.blockingId !== undefined && this.command.status === 'ready') {
      this.command.client('UNBLOCK', this.blockingId).catch(() => undefined);
    }
  }

  unfollow(follower: StreamFollower): void {
    if (this.followers.get(follower.stream) === follower) this.followers.delete(follower.stream);
  }

  /** Closes both connections; commands already sent (a lease given back) are answered first. */
  async close(): Promise<void> {
    this.closed = true;
    this.added.notify();
    this.blocking.disconnect();
    if (this.command.status === 'ready') {
      await Promise.race([this.command.quit().catch(() => undefined), sleep(500)]);
    }
    this.command.disconnect();
  }

  private report(closing: boolean): void {
    if (this.closed) return;
    const up = this.up;
    if (up === this.wasUp) return;
    // One connection ready before the other is still starting up, not a failure.
    if (!up && this.wasUp === undefined && !closing) return;
    this.wasUp = up;
    if (!up) this.blockingId = undefined;
    this.options.onState(up, redactRedisUrl(this.options.url));
  }

  /** The one reader: every followed stream, from each one's last id, in order. */
  private async read(): Promise<void> {
    while (!this.closed) {
      if (this.followers.size === 0 || !this.up) {
        await Promise.race([this.added.wait(), sleep(100)]);
        continue;
      }
      try {
        this.blockingId ??= Number(await this.blocking.client('ID'));
        const followed = [...this.followers.values()];
        const answer = (await this.blocking.xread(
          'COUNT',
          1000,
          'BLOCK',
          1000,
          'STREAMS',
          ...followed.map((f) => f.stream),
          ...followed.map((f) => f.lastId),
        )) as [string, [string, string[]][]][] | null;
        for (const [stream, entries] of answer ?? []) {
          const follower = this.followers.get(stream);
          if (!follower) continue;
          for (const [id, fields] of entries) {
            follower.lastId = id;
            const record = fields[1];
            if (record !== undefined) follower.apply(record);
          }
        }
      } catch {
        // Unblocked, or Redis went away: the loop sees which.
        if (!this.up) await sleep(100);
      }
    }
  }
}
