/**
 * docs/task-stream.md section 12, against a scripted `GET /events`: the audit poller reads back
 * past the Director's 200-event pages so a burst is not lost, pushes each event once and oldest
 * first, sends an event that appears late exactly once, and goes on with the next member's
 * credentials when the oldest member leaves in the middle of a call.
 */
import { describe, expect, it } from 'vitest';
import type { DirectorApi } from '../../src/director/api.js';
import { DirectorAbortedError } from '../../src/director/errors.js';
import type { EventListQuery } from '../../src/director/operations-api.js';
import type { WireEvent } from '../../src/director/types.js';
import { AuditEventsPoller, deliverAudit } from '../../src/stream/audit-poller.js';
import { DEFAULT_STREAM_SETTINGS } from '../../src/stream/settings.js';
import { until } from './fixtures.js';

const settings = { ...DEFAULT_STREAM_SETTINGS, intervalMs: 5, jitter: 0 };

const event = (id: number, deployment = 'cf'): WireEvent => ({
  id: String(id),
  timestamp: 1_767_225_600 + id,
  user: 'admin',
  action: 'note',
  object_type: 'console',
  deployment,
  context: {},
});

/** A `GET /events` as the Director answers it: filters, `before_id`, newest first, 200 at most. */
class ScriptedEvents {
  visible: WireEvent[] = [];
  readonly queries: EventListQuery[] = [];
  api(): DirectorApi {
    return {
      listEvents: async (query: EventListQuery = {}) => {
        this.queries.push(query);
        return this.visible
          .filter((e) => query.deployment === undefined || e.deployment === query.deployment)
          .filter((e) => query.beforeId === undefined || Number(e.id) < query.beforeId)
          .sort((a, b) => Number(b.id) - Number(a.id))
          .slice(0, 200);
      },
    } as unknown as DirectorApi;
  }
}

function newPoller(seed: WireEvent[], deployment?: string) {
  let idle = false;
  const poller = new AuditEventsPoller('k', deployment, settings, { onIdle: () => (idle = true) }, seed);
  return { poller, idle: () => idle };
}

/** Collects what one subscriber receives until `count` events arrived. */
async function receive(poller: AuditEventsPoller, count: number, from = poller.end): Promise<string[]> {
  const stop = new AbortController();
  const out: string[] = [];
  for await (const e of deliverAudit(poller, from, stop.signal)) {
    out.push(e.id);
    if (out.length === count) break;
  }
  stop.abort();
  return out;
}

describe('the audit poller', () => {
  it('delivers a burst of 450 events recorded between two polls, oldest first, each once', async () => {
    const director = new ScriptedEvents();
    director.visible = Array.from({ length: 30 }, (_, i) => event(i + 1));
    const { poller } = newPoller(await director.api().listEvents());
    for (let id = 31; id <= 480; id++) director.visible.push(event(id));
    const member = poller.attach(director.api());
    const got = await receive(poller, 450, 0);
    expect(got).toEqual(Array.from({ length: 450 }, (_, i) => String(i + 31)));
    // The round paged back from the newest event until it met a known one.
    expect(director.queries.slice(1, 4).map((q) => q.beforeId)).toEqual([undefined, 281, 81]);
    poller.detach(member);
  });

  it('pushes nothing recorded before the feed started, and nothing twice', async () => {
    const director = new ScriptedEvents();
    director.visible = Array.from({ length: 250 }, (_, i) => event(i + 1));
    const { poller } = newPoller(await director.api().listEvents());
    const member = poller.attach(director.api());
    const got = receive(poller, 3, 0);
    await until(() => director.queries.length >= 4, 5_000, 'a few polls');
    director.visible.push(event(251), event(252));
    await until(() => director.queries.length >= 8, 5_000, 'more polls');
    director.visible.push(event(253));
    expect(await got).toEqual(['251', '252', '253']);
    expect(poller.end).toBe(3);
    poller.detach(member);
  });

  it('sends an event that became visible after a newer one, once, after it', async () => {
    const director = new ScriptedEvents();
    director.visible = [event(1), event(2)];
    const { poller } = newPoller(await director.api().listEvents());
    const member = poller.attach(director.api());
    const got = receive(poller, 3, 0);
    // Two Director workers: 4 commits before 3.
    director.visible.push(event(4));
    await until(() => poller.end === 1, 5_000, 'event 4');
    director.visible.push(event(3));
    director.visible.push(event(5));
    expect(await got).toEqual(['4', '3', '5']);
    await until(() => director.queries.length >= 10, 5_000, 'more polls');
    expect(poller.end).toBe(3);
    poller.detach(member);
  });

  it("reads only the filter's events, and starts a late subscriber after what it already saw", async () => {
    const director = new ScriptedEvents();
    const { poller } = newPoller([], 'cf');
    const member = poller.attach(director.api());
    director.visible.push(event(1, 'redis'), event(2, 'cf'), event(3, 'cf'));
    await until(() => poller.end === 2, 5_000, 'the cf events');
    expect(director.queries.every((q) => q.deployment === 'cf')).toBe(true);
    // A subscriber whose own first read already showed event 2 starts with event 3.
    expect(poller.startFor(2)).toBe(1);
    expect(await receive(poller, 1, poller.startFor(2))).toEqual(['3']);
    poller.detach(member);
  });

  it('goes on with the next member at once when the oldest leaves during its call', async () => {
    const director = new ScriptedEvents();
    const { poller, idle } = newPoller([]);
    let calls = 0;
    let cut: (() => void) | undefined;
    const hanging = {
      listEvents: () => {
        calls += 1;
        return new Promise((_resolve, reject) => {
          cut = () => reject(new DirectorAbortedError('left', { route: 'GET /events' }));
        });
      },
    } as unknown as DirectorApi;
    const first = poller.attach(hanging);
    const second = poller.attach(director.api());
    await until(() => calls === 1, 5_000, 'the first call');
    director.visible.push(event(1));
    poller.detach(first);
    cut?.();
    expect(await receive(poller, 1, 0)).toEqual(['1']);
    expect(poller.failure).toBeUndefined();
    poller.detach(second);
    expect(idle()).toBe(true);
    expect(poller.stopped).toBe(true);
  });
});
