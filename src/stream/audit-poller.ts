/**
 * The live audit feed's poller (docs/task-stream.md, section 12): one poll of `GET /events` per
 * distinct (credentials, deployment filter), shared by every `directorEvents` subscriber with
 * those, as `runningTasks` shares its list (section 7); both are member pollers
 * (member-poller.ts).
 *
 * The Director answers the newest 200 events, newest first, and pages only with `before_id`. Each
 * round reads the newest page and pages back until it overlaps what the poller already knows, so
 * a burst of more than 200 events between two rounds is not lost. Events are recognised by id in
 * a window of the newest ids seen, so each is pushed once, even one that becomes visible after a
 * newer one (two Director workers committing out of order); within a round, events are pushed
 * oldest first.
 */
import type { DirectorApi } from '../director/api.js';
import type { WireEvent } from '../director/types.js';
import { StreamError } from './errors.js';
import { MemberPoller, type MemberPollerHooks } from './member-poller.js';
import type { StreamSettings } from './settings.js';
import type { ListShare } from './shared-list.js';

/** `EVENT_LIMIT` of the Director's events controller: a page shorter than this is the last. */
export const EVENT_PAGE = 200;
/** Ids remembered to tell new events from known ones (a few rounds of a busy Director). */
const WINDOW = 2_000;
/** Pages one round reads at most: the Director keeps 10 000 events by default. */
const MAX_PAGES = 50;

export type { PollerMember as AuditMember } from './member-poller.js';
export type AuditHooks = MemberPollerHooks<AuditEventsPoller>;

export class AuditEventsPoller extends MemberPoller<AuditEventsPoller> {
  /** Pushed events, oldest first; `log[0]` has sequence number `first`. */
  private log: WireEvent[] = [];
  private first = 0;
  private readonly known = new Set<number>();
  /** Ids at or below this are old, whether known or not. */
  private floor = 0;
  /** With --redis: the lane the new events are shared through with the other replicas (13.7). */
  share: ListShare<WireEvent[]> | undefined;
  /** Whether the last round read the Director (as the lane's holder, or alone). */
  private reading = false;

  /**
   * @param seed the newest page the first subscriber's own authorization read got: the feed
   *   starts after it, so nothing recorded between that read and the first poll is lost.
   */
  constructor(
    key: string,
    private readonly deployment: string | undefined,
    settings: StreamSettings,
    hooks: AuditHooks,
    seed: readonly WireEvent[],
  ) {
    super(key, settings, hooks);
    this.remember(seed.map((e) => Number(e.id)));
    // A full page may not reach back to the oldest event: what lies below it is old.
    if (seed.length >= EVENT_PAGE) this.floor = Math.min(...seed.map((e) => Number(e.id))) - 1;
  }

  /** Sequence number of the next event to be pushed. */
  get end(): number {
    return this.first + this.log.length;
  }

  /** Sequence number of the oldest event still kept. */
  get start(): number {
    return this.first;
  }

  at(seq: number): WireEvent | undefined {
    return this.log[seq - this.first];
  }

  /**
   * Where a new subscriber starts: after every kept event its own authorization read already
   * covered (ids up to `newestSeen`), so events it has not seen yet but the poller has are not lost.
   */
  startFor(newestSeen: number): number {
    let seq = this.end;
    while (seq > this.first && Number(this.log[seq - 1 - this.first]!.id) > newestSeen) seq -= 1;
    return seq;
  }

  protected async round(api: DirectorApi): Promise<void> {
    // Another replica reads the events: they arrive through the lane's stream (applyShared).
    if (this.share && !(await this.share.mayRead(this.settings))) {
      this.reading = false;
      return;
    }
    const { fresh, newest } = await this.readNew(api);
    // A replica that just took the lease shares its whole newest page once: its own seed may hold
    // events the previous holder never appended, which the followers know nothing of. They drop
    // the ones they know.
    const shared = this.reading ? fresh : newest;
    this.reading = true;
    // Pushed (and so known) first: this replica also reads its own record back from the lane.
    this.push(fresh);
    if (shared.length > 0) await this.share?.publish(shared, this.settings);
  }

  /** A follower tries the lease every quarter interval, so it takes over within two. */
  protected override nextDelay(): number {
    return this.share?.following ? this.settings.intervalMs / 4 : super.nextDelay();
  }

  /**
   * New events another replica read for this feed: each is pushed unless this poller already
   * knows it (from its own seed, reads or an earlier record), so none is pushed twice.
   */
  applyShared(events: readonly WireEvent[]): void {
    this.push([...events].sort((a, b) => Number(a.id) - Number(b.id)));
  }

  /**
   * The events the poller has not seen, oldest first (`fresh`): newest page, then older ones
   * until they overlap. `newest` is the newest page as the Director answered it.
   */
  private async readNew(api: DirectorApi): Promise<{ fresh: WireEvent[]; newest: WireEvent[] }> {
    const fresh: WireEvent[] = [];
    let newest: WireEvent[] = [];
    let beforeId: number | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      this.hooks.onPoll?.();
      const page = await api.listEvents({
        ...(this.deployment === undefined ? {} : { deployment: this.deployment }),
        ...(beforeId === undefined ? {} : { beforeId }),
      });
      if (pages === 0) newest = page;
      let overlaps = false;
      for (const event of page) {
        const id = Number(event.id);
        if (id <= this.floor || this.known.has(id)) overlaps = true;
        else if (Number.isSafeInteger(id)) fresh.push(event);
      }
      const oldest = page.at(-1);
      if (overlaps || page.length < EVENT_PAGE || !oldest) break;
      beforeId = Number(oldest.id);
    }
    return { fresh: fresh.sort((a, b) => Number(a.id) - Number(b.id)), newest };
  }

  /** Pushes the events not known yet (each id once), oldest first as given. */
  private push(events: WireEvent[]): void {
    const taken = new Set<number>();
    const fresh = events.filter((event) => {
      const id = Number(event.id);
      if (!Number.isSafeInteger(id) || id <= this.floor || this.known.has(id) || taken.has(id)) return false;
      taken.add(id);
      return true;
    });
    if (fresh.length === 0) return;
    this.remember(fresh.map((e) => Number(e.id)));
    this.log.push(...fresh);
    const excess = this.log.length - this.settings.buffer.maxRecords;
    if (excess > 0) {
      this.log = this.log.slice(excess);
      this.first += excess;
    }
    this.changed.notify();
  }

  /** Keeps the newest WINDOW ids; anything older than the window counts as old from then on. */
  private remember(ids: number[]): void {
    for (const id of ids) if (Number.isSafeInteger(id)) this.known.add(id);
    if (this.known.size <= WINDOW) return;
    const sorted = [...this.known].sort((a, b) => a - b);
    for (const id of sorted.slice(0, sorted.length - WINDOW)) this.known.delete(id);
    this.floor = Math.max(this.floor, sorted[sorted.length - WINDOW - 1]!);
  }
}

/**
 * One subscriber's events, from its own position in the poller's log, at its own pace. A
 * subscriber that falls further behind than the log keeps (`buffer.maxRecords`) ends with
 * DIRECTOR_ERROR rather than silently miss events.
 */
export async function* deliverAudit(
  poller: AuditEventsPoller,
  from: number,
  signal: AbortSignal,
): AsyncGenerator<WireEvent> {
  let next = from;
  while (!signal.aborted) {
    if (next < poller.start) {
      throw new StreamError(
        'DIRECTOR_ERROR',
        'This subscriber fell too far behind the audit feed; subscribe again and read the gap with `events(since:)`.',
      );
    }
    const event = poller.at(next);
    if (event) {
      yield event;
      next += 1;
      continue;
    }
    if (poller.failure) throw poller.failure;
    await poller.changed.wait(signal);
  }
}
