/**
 * One task's poller when the replicas share (docs/task-stream.md section 13). It offers
 * subscribers what TaskPoller offers (buffers per output, the task's state, `changed`), but each
 * followed output is a lane: a lease, a Redis Stream and a loop. In each lane the lease holder
 * polls the Director (the task's state, then the output from the stream's last cursor) and
 * appends what it read; every replica, the holder too, reads the stream into its own buffer.
 * While Redis is away each lane polls the Director alone, as TaskPoller does.
 */
import { isDirectorError } from '../director/errors.js';
import { type OutputType, TERMINAL_TASK_STATES } from '../director/types.js';
import { isCredentialFailure, StreamError, type StreamErrorCode, toStreamError } from './errors.js';
import type { SourceHooks, TaskSource } from './fleet.js';
import type { RedisLink } from './redis-link.js';
import { RetryWindow } from './retry-window.js';
import { nextPollDelay, type StreamSettings } from './settings.js';
import { Lane, type LaneRecord, leaseTtl } from './shared-lane.js';
import { sleep } from './signal.js';
import { type OutputChannel, type PollerSubscriber, stateRank, TaskFollowers } from './task-followers.js';

export class SharedTaskPoller extends TaskFollowers implements TaskSource {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    taskId: number,
    settings: StreamSettings,
    private readonly hooks: SourceHooks,
    private readonly link: RedisLink,
  ) {
    super(taskId, settings);
  }

  attach(subscriber: PollerSubscriber): OutputChannel | undefined {
    const channel = this.follow(subscriber);
    this.syncLanes();
    return channel;
  }

  detach(subscriber: PollerSubscriber): void {
    if (!this.unfollow(subscriber)) return;
    if (this.subscribers.size === 0) {
      this.stop();
      this.hooks.onIdle(this);
      return;
    }
    this.syncLanes();
  }

  /** Lanes whose lease this replica holds. */
  leasesHeld(): number {
    let held = 0;
    for (const lane of this.lanes.values()) if (lane.role === 'holder' && lane.token) held += 1;
    return held;
  }

  stop(): void {
    this.stopper.abort();
    for (const lane of this.lanes.values()) this.dropLane(lane);
    this.changed.notify();
  }

  /** One lane per followed output; a lane for the state alone when only `taskUpdated` follows. */
  private syncLanes(): void {
    if (this.stopped) return;
    const wanted = new Set<string>(this.channels.keys());
    if (wanted.size === 0 && this.subscribers.size > 0) wanted.add('state');
    for (const [name, lane] of this.lanes) if (!wanted.has(name)) this.dropLane(lane);
    for (const name of wanted) {
      const existing = this.lanes.get(name);
      if (existing && !existing.stopped) {
        if (!existing.running && !this.laneFinished(existing)) this.startLane(existing);
        continue;
      }
      const type = name === 'state' ? undefined : (name as OutputType);
      const lane = new Lane(this.taskId, type, this.link, (record) => this.apply(lane, record));
      this.lanes.set(name, lane);
      this.link.follow(lane);
      this.startLane(lane);
    }
  }

  private dropLane(lane: Lane): void {
    if (this.lanes.get(lane.name) === lane) this.lanes.delete(lane.name);
    lane.stop();
    this.link.unfollow(lane);
    // Give the lease back now (on shutdown too, before the link closes): another replica with
    // subscribers takes it on its next try instead of waiting for it to expire.
    void lane.letGo();
  }

  private startLane(lane: Lane): void {
    lane.running = true;
    void this.runLane(lane).finally(() => {
      lane.running = false;
      void lane.letGo();
    });
  }

  private channelOf(lane: Lane): OutputChannel | undefined {
    return lane.type ? this.channels.get(lane.type) : undefined;
  }

  private laneFinished(lane: Lane): boolean {
    if (lane.type) return this.channelOf(lane)?.done ?? true;
    return this.task !== undefined && TERMINAL_TASK_STATES.has(this.task.state);
  }

  /** A record from the lane's stream (or, while alone, from the lane's own read). */
  private apply(lane: Lane, record: LaneRecord): void {
    if (this.lanes.get(lane.name) !== lane) return;
    const channel = this.channelOf(lane);
    switch (record.k) {
      case 's':
        this.observe(record.task);
        break;
      case 'l':
        if (!channel) break;
        // A gap (records this replica never got, e.g. after Redis lost its data): its subscribers
        // read the missing part from the Director with their own credentials (section 4).
        if (record.p > channel.buffer.end) channel.buffer.restartAt(record.p);
        channel.buffer.append([{ text: record.x, start: record.s, end: record.e }]);
        this.changed.notify();
        break;
      case 'd':
        if (channel && !channel.done) {
          channel.done = true;
          this.changed.notify();
        }
        break;
      case 'r':
        break;
      case 'f':
        this.failure ??= new StreamError(record.code as StreamErrorCode, record.message);
        this.changed.notify();
        break;
    }
    lane.news.notify();
  }

  private async runLane(lane: Lane): Promise<void> {
    const abort = lane.abort;
    const retry = new RetryWindow(this.settings);
    while (!abort.aborted && !this.failure && !this.laneFinished(lane)) {
      const reader = this.readerOf(lane.type);
      if (!reader) return;
      let next: 'interval' | 'now' | 'follow' = 'interval';
      const began = Date.now();
      try {
        if (this.link.up) next = await this.sharedStep(lane, reader);
        else next = (await this.aloneStep(lane, reader)) ? 'interval' : 'now';
        retry.succeeded();
      } catch (error) {
        if (abort.aborted) return;
        if (lane.redisFailed(error)) {
          // Redis went away mid-step: the next step polls alone, at once.
          await sleep(Math.min(50, this.settings.intervalMs), abort);
          continue;
        }
        if (isDirectorError(error, 'ABORTED') && !this.subscribers.has(reader)) continue;
        if (isCredentialFailure(error)) {
          this.refuse(reader, error);
          continue;
        }
        if (await retry.waitOut(error, abort)) continue;
        this.failure = toStreamError(error);
        await lane.publishFailure(this.failure, this.settings).catch(() => undefined);
        this.changed.notify();
        return;
      }
      if (this.laneFinished(lane)) return;
      // Rounds start an interval apart, however long the round's own reads took.
      if (next === 'interval') await sleep(nextPollDelay(this.settings) - (Date.now() - began), abort);
      else if (next === 'follow') await lane.waitForNews(this.settings.intervalMs / 4, abort);
    }
  }

  /** With Redis: poll and append if this replica holds the lane's lease, else follow. */
  private async sharedStep(lane: Lane, reader: PollerSubscriber): Promise<'interval' | 'now' | 'follow'> {
    const ttl = leaseTtl(this.settings);
    if (!(await lane.claim(ttl))) return 'follow';
    if (lane.role !== 'holder') {
      // Taking over: continue from the last cursor in the stream, so no byte is read twice.
      const cursor = await lane.link.lastCursor(lane.keys);
      const start = cursor ?? this.channelOf(lane)?.buffer.end ?? 0;
      lane.startTail(start, this.settings);
      lane.role = 'holder';
      this.link.counters.taken += 1;
    }
    const read = await this.read(lane, reader);
    const records: [number, string][] = [];
    if (lane.publishedRank < stateRank(read.task))
      records.push([-1, JSON.stringify({ k: 's', task: read.task })]);
    for (const line of read.lines) {
      records.push([
        line.start,
        JSON.stringify({ k: 'l', p: lane.lastEnd, s: line.start, e: line.end, x: line.text }),
      ]);
      lane.lastEnd = line.end;
    }
    if (read.done) records.push([-1, JSON.stringify({ k: 'd' })]);
    const appended = await lane.append(ttl, this.settings.buffer.maxRecords, records);
    if (!appended) {
      this.link.counters.fenced += 1;
      // Fenced off: another replica took the lease while this one stalled; its records win.
      lane.role = 'follower';
      return 'follow';
    }
    lane.publishedRank = stateRank(read.task);
    return read.caughtUp ? 'interval' : 'now';
  }

  /** Without Redis: poll the Director for this replica's subscribers, as TaskPoller does. */
  private async aloneStep(lane: Lane, reader: PollerSubscriber): Promise<boolean> {
    if (lane.role !== 'alone') {
      lane.startTail(this.channelOf(lane)?.buffer.end ?? 0, this.settings);
      lane.role = 'alone';
      lane.token = undefined;
    }
    const read = await this.read(lane, reader);
    this.observe(read.task);
    for (const line of read.lines) {
      this.apply(lane, { k: 'l', p: lane.lastEnd, s: line.start, e: line.end, x: line.text });
      lane.lastEnd = line.end;
    }
    if (read.done) this.apply(lane, { k: 'd' });
    return read.caughtUp;
  }

  /** One round's reads: the state, then the lane's output, as TaskPoller's round does. */
  private async read(lane: Lane, reader: PollerSubscriber) {
    this.hooks.onPoll?.('task');
    const task = await reader.api.getTask(this.taskId);
    const terminal = TERMINAL_TASK_STATES.has(task.state);
    if (!lane.type || !lane.tail) return { task, lines: [], caughtUp: true, done: false };
    this.hooks.onPoll?.('output');
    const lines = await lane.tail.poll(reader.api);
    const caughtUp = lane.tail.caughtUp;
    let done = false;
    if (caughtUp && terminal) {
      const last = lane.tail.flush();
      if (last) lines.push(last);
      done = true;
    }
    return { task, lines, caughtUp, done };
  }

  private refuse(subscriber: PollerSubscriber, error: unknown): void {
    subscriber.error = toStreamError(error);
    this.detach(subscriber);
    this.changed.notify();
  }
}
