/**
 * Shared subscription executions (docs/task-stream.md section 11). Subscribers with the same
 * document, variables and credentials get the same results, so one execution (a hub) serves them
 * all: each record is executed once, serialized once, and the same bytes are written to every
 * member. Records that arrive together (one poll round) are flushed together, in one write per
 * SSE member.
 *
 * A member joins only when its transport starts to read (an unread result, like a 406 answer,
 * joins nothing), and leaves at the first end of its transport; the last member out closes the
 * hub, which ends its stream (and so its poller). A member that joins late first gets what the
 * field's replay policy keeps: every record so far for logs (`ALL`), the latest for state
 * (`LATEST`), nothing for feeds (`NONE`).
 */
import type { ExecutionResult } from 'graphql';
import { type Serialized, serialize } from './serialize.js';

export type Replay = 'ALL' | 'LATEST' | 'NONE';

/** What an `ALL` hub keeps for late joiners; past it, it stops taking new members. */
export const HISTORY_LIMITS = { records: 10_000, bytes: 8 * 1024 * 1024 } as const;
/** Results a queue member (WebSocket) may fall behind by before it is ended. */
export const MAX_QUEUED = 10_000;

/** Where a member's records go when its transport takes bytes directly (SSE, WebSocket). */
export interface Sink {
  /**
   * One flush: its records, and their SSE bytes, made once for every member. False when the
   * client has left too much unread: the member then ends (it resumes with its cursor).
   */
  write(records: readonly Serialized[], sse: Buffer): boolean;
  /** The member ended; `completed` when its stream did (not its client). */
  end(completed: boolean): void;
}

interface HubOwner {
  register(hub: Hub): void;
  unregister(hub: Hub): void;
  count(delta: 1 | -1): void;
  /** Readies a result for every member at once (error masking): done once per record. */
  prepare(result: ExecutionResult): ExecutionResult;
}

export class Hub {
  readonly #members = new Set<Member>();
  readonly #history: Serialized[] = [];
  #historyBytes = 0;
  #round: Serialized[] = [];
  #flushScheduled = false;
  #started = false;
  #finished = false;
  #closed = false;
  /** False for a private hub, and once late joiners could no longer be given everything. */
  shareable: boolean;

  /**
   * @param key the sharing key, or undefined for a private hub that nobody else may join.
   */
  constructor(
    readonly key: string | undefined,
    readonly replay: Replay,
    private readonly source: AsyncIterableIterator<ExecutionResult>,
    private readonly stop: AbortController,
    private readonly owner: HubOwner,
  ) {
    this.shareable = key !== undefined;
  }

  get members(): number {
    return this.#members.size;
  }

  /** True once the hub ended for good: its last member left, and its stream was closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True while new members may join and get the full stream their replay policy promises. */
  get joinable(): boolean {
    return this.shareable && !this.#finished && !this.#closed;
  }

  join(member: Member): void {
    if (!this.#started) this.owner.register(this);
    this.#members.add(member);
    this.owner.count(1);
    if (this.#history.length > 0)
      member.deliver(this.#history, Buffer.concat(this.#history.map((s) => s.sse)));
    if (this.#finished) {
      member.complete();
      return;
    }
    if (!this.#started) {
      this.#started = true;
      void this.#pump();
    }
  }

  leave(member: Member): void {
    if (!this.#members.delete(member)) return;
    this.owner.count(-1);
    if (this.#members.size === 0) this.#close();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done || this.#closed) break;
        const serialized = serialize(this.owner.prepare(next.value));
        this.#round.push(serialized);
        this.#scheduleFlush();
      }
    } catch {
      // The stream layer ends with an error result, never a throw; anything else just ends it.
    }
    this.#finished = true;
    this.owner.unregister(this);
    this.#scheduleFlush();
  }

  /** In the check phase: after every record that arrived in this turn of the event loop. */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const round = this.#round;
    this.#round = [];
    if (round.length > 0) {
      const bytes =
        round.length === 1 ? (round[0] as Serialized).sse : Buffer.concat(round.map((s) => s.sse));
      for (const member of this.#members) member.deliver(round, bytes);
      this.#keep(round);
    }
    if (this.#finished) {
      for (const member of [...this.#members]) member.complete();
    }
  }

  #keep(round: Serialized[]): void {
    if (this.replay === 'NONE' || !this.shareable) return;
    if (this.replay === 'LATEST') {
      this.#history.length = 0;
      this.#history.push(round.at(-1) as Serialized);
      return;
    }
    for (const serialized of round) {
      this.#history.push(serialized);
      this.#historyBytes += serialized.sse.length;
    }
    if (this.#history.length > HISTORY_LIMITS.records || this.#historyBytes > HISTORY_LIMITS.bytes) {
      // Late joiners start their own execution from now on; the members it has keep theirs.
      this.shareable = false;
      this.#history.length = 0;
      this.#historyBytes = 0;
      this.owner.unregister(this);
    }
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.owner.unregister(this);
    this.stop.abort();
    void this.source.return?.(undefined)?.catch(() => undefined);
  }
}

/** Finds the hub a member should join now: a running one, or a fresh start (or its refusal). */
export type HubResolver = () => Promise<Hub | ExecutionResult>;

/**
 * One client subscription of a hub. With a sink (SSE, WebSocket) the hub's flushes go straight to
 * its transport; otherwise (multipart) it is read as an async iterator. It joins its hub when its
 * transport starts to read; if that hub closed meanwhile (its other members all left first), it
 * joins the one running now instead.
 */
export class Member implements AsyncIterableIterator<ExecutionResult> {
  #state: 'waiting' | 'joined' | 'ended' = 'waiting';
  #sink: Sink | undefined;
  readonly #queue: ExecutionResult[] = [];
  #done = false;
  #wake: (() => void) | undefined;
  readonly #onAbort = () => this.#end();
  #joining: Promise<void> | undefined;

  constructor(
    private hub: Hub,
    /** The end of the subscriber's transport (its HTTP response or WebSocket operation). */
    readonly transport: AbortSignal | undefined,
    /** Dropped once joined: it holds the whole operation (its context, its document). */
    private resolve: HubResolver | undefined,
    /** A sink that takes over when the member is first read (the WebSocket's). */
    private readonly sinkOnRead?: Sink,
  ) {}

  /** SSE: the hub writes this member's bytes straight to `sink`. */
  attachSink(sink: Sink): void {
    this.#sink = sink;
    void this.#join();
  }

  deliver(records: readonly Serialized[], bytes: Buffer): void {
    if (this.#state !== 'joined') return;
    if (this.#sink) {
      if (!this.#sink.write(records, bytes)) this.#end();
      return;
    }
    for (const record of records) this.#queue.push(record.result);
    if (this.#queue.length > MAX_QUEUED) {
      // A reader this far behind would hold the whole log in memory: it resumes with its cursor.
      this.#queue.length = 0;
      this.#queue.push(tooSlow());
      this.#done = true;
      this.#state = 'ended';
      this.transport?.removeEventListener('abort', this.#onAbort);
      this.hub.leave(this);
    }
    this.#notify();
  }

  complete(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.transport?.removeEventListener('abort', this.#onAbort);
    this.hub.leave(this);
    this.#done = true;
    this.#sink?.end(true);
    this.#notify();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.#state === 'waiting') {
      // A WebSocket's first read hands the member to its sink: records go straight to the
      // socket, and this read ends only when the member does (then graphql-ws completes it).
      if (this.sinkOnRead && !this.#sink) this.#sink = this.sinkOnRead;
      await this.#join();
    }
    for (;;) {
      const value = this.#queue.shift();
      if (value) return { done: false, value };
      if (this.#done || this.#state === 'ended') return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.#end();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.#end();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  #join(): Promise<void> {
    this.#joining ??= this.#joinNow();
    return this.#joining;
  }

  async #joinNow(): Promise<void> {
    if (this.hub.closed && this.resolve) {
      const next = await this.resolve();
      if (!(next instanceof Hub)) {
        // The fresh start was refused (the credentials lost their rights meanwhile).
        const refused = serialize(next);
        this.#state = 'joined';
        if (this.#sink) this.#sink.write([refused], refused.sse);
        else this.#queue.push(next);
        this.complete();
        return;
      }
      this.hub = next;
    }
    if (this.#state !== 'waiting') return;
    if (this.transport?.aborted) {
      this.#state = 'ended';
      this.#done = true;
      // Its sink (an SSE body nobody will read) must end too, or it would be kept for good.
      this.#sink?.end(false);
      return;
    }
    this.#state = 'joined';
    this.resolve = undefined;
    this.transport?.addEventListener('abort', this.#onAbort, { once: true });
    this.hub.join(this);
  }

  #end(): void {
    if (this.#state === 'ended') return;
    const joined = this.#state === 'joined';
    this.#state = 'ended';
    this.#done = true;
    this.transport?.removeEventListener('abort', this.#onAbort);
    if (joined) this.hub.leave(this);
    this.#sink?.end(false);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** The result a reader too far behind gets last. */
export function tooSlow(): ExecutionResult {
  return {
    errors: [
      {
        message:
          'This subscriber fell too far behind the stream and was ended; subscribe again with the last cursor received.',
        extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
      } as unknown as NonNullable<ExecutionResult['errors']>[number],
    ],
  };
}
