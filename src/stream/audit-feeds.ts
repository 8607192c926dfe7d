/**
 * The registry of the live audit feed (docs/task-stream.md, section 12): one AuditEventsPoller
 * per (credentials, deployment filter), and the `directorEvents` subscriptions that pull from
 * them. It follows the lifecycle and caps of every feed (section 10): the authorization read when
 * the subscription is asked for, attaching only when its transport pulls, detaching at the first
 * end of that transport, and the process and per-caller caps on pollers.
 */
import type { DirectorApi } from '../director/api.js';
import type { WireEvent } from '../director/types.js';
import { AuditEventsPoller, deliverAudit } from './audit-poller.js';
import { callerIdentity, type PollerCaps } from './caps.js';
import type { Fleet } from './fleet.js';
import type { StreamSettings } from './settings.js';
import { type LiveCount, subscription } from './subscription.js';
import type { SubscribeOptions } from './task-streams.js';

export class AuditFeeds {
  private readonly pollers = new Map<string, AuditEventsPoller>();

  constructor(
    private readonly settings: StreamSettings,
    private readonly caps: PollerCaps,
    private readonly count: LiveCount,
    /** Every live poller of the process (task, running-tasks and audit ones), for the process cap. */
    private readonly processPollers: () => number,
    private readonly onPoll: () => void,
    /** With --redis, one replica reads each feed for the fleet (section 13.7). */
    private readonly fleet?: Fleet,
  ) {}

  get size(): number {
    return this.pollers.size;
  }

  /**
   * Each audit event recorded after the subscriber's own authorization read, once (section 11).
   * That read (`GET /events` with the filter, as the subscriber) answers a refusal at once, and
   * tells where the feed starts.
   */
  async subscribe(
    api: DirectorApi,
    deployment: string | undefined,
    options: SubscribeOptions = {},
  ): Promise<AsyncIterableIterator<WireEvent>> {
    const caller = callerIdentity(options.authorization);
    // Shared per credentials, as the brief of the task stream asks of every list feed.
    const key = `${caller}|${deployment ?? ''}`;
    const pollerKey = `audit:${key}`;
    const usable = (p: AuditEventsPoller | undefined): p is AuditEventsPoller =>
      p !== undefined && !p.failure && !p.stopped;
    this.caps.check(caller, pollerKey, usable(this.pollers.get(key)), this.processPollers());
    const seed = await (options.setup ?? api).listEvents(deployment === undefined ? {} : { deployment });
    const newestSeen = seed.reduce((max, e) => Math.max(max, Number(e.id) || 0), 0);
    return subscription(options.signal, this.count, () => {
      let poller = this.pollers.get(key);
      this.caps.check(caller, pollerKey, usable(poller), this.processPollers());
      if (!usable(poller)) {
        poller = new AuditEventsPoller(
          key,
          deployment,
          this.settings,
          {
            onIdle: (idle) => {
              idle.share?.close();
              if (this.pollers.get(idle.key) === idle) this.pollers.delete(idle.key);
            },
            onPoll: this.onPoll,
          },
          seed,
        );
        const created = poller;
        created.share = this.fleet?.listShare?.<WireEvent[]>(pollerKey, (events) =>
          created.applyShared(events),
        );
        this.pollers.set(key, poller);
      }
      const shared = poller;
      const member = shared.attach(api);
      const uncount = this.caps.add(caller, pollerKey);
      const from = shared.startFor(newestSeen);
      return {
        produce: (signal) => deliverAudit(shared, from, signal),
        release: () => {
          uncount();
          shared.detach(member);
        },
      };
    });
  }

  close(): void {
    for (const poller of this.pollers.values()) {
      poller.share?.close();
      poller.stop();
    }
    this.pollers.clear();
  }
}
