/**
 * The Director's audit events (`GET /events`), not to be confused with a task's event log
 * (events.ts). A real Director records them only when `director.events.record_events` is on (it
 * defaults to off); the simulator stands for a Director configured to record, so everything it
 * does leaves events for a live feed to show.
 *
 * How they are written follows the Director (`event_manager.rb`): an operation writes a start
 * event and an end event whose `parent_id` points back to it, `error` set on failure. Like the
 * Director's scheduled clean-up, only the newest `MAX_EVENTS` are kept, plus the parents they
 * still reference.
 */

export interface AuditEvent {
  id: number;
  parentId: number | null;
  /** Epoch ms. */
  timestamp: number;
  user: string;
  action: string;
  objectType: string;
  objectName: string | null;
  error: string | null;
  task: string | null;
  deployment: string | null;
  instance: string | null;
  context: Record<string, unknown>;
}

export type NewAuditEvent = Pick<AuditEvent, 'user' | 'action' | 'objectType'> &
  Partial<Omit<AuditEvent, 'id' | 'timestamp' | 'user' | 'action' | 'objectType'>>;

/** `director.events.max_events`. */
export const MAX_EVENTS = 10_000;

export class AuditLog {
  private events: AuditEvent[] = [];
  private lastId = 0;

  record(event: NewAuditEvent, timestamp: number): AuditEvent {
    this.lastId += 1;
    const stored: AuditEvent = {
      id: this.lastId,
      parentId: event.parentId ?? null,
      timestamp,
      user: event.user,
      action: event.action,
      objectType: event.objectType,
      objectName: event.objectName ?? null,
      error: event.error ?? null,
      task: event.task ?? null,
      deployment: event.deployment ?? null,
      instance: event.instance ?? null,
      context: event.context ?? {},
    };
    this.events.push(stored);
    if (this.events.length > MAX_EVENTS) this.trim();
    return stored;
  }

  /** Oldest first. */
  all(): readonly AuditEvent[] {
    return this.events;
  }

  get(id: number): AuditEvent | undefined {
    return this.events.find((e) => e.id === id);
  }

  /** The Director's `remove_old_events`: keeps the newest MAX_EVENTS and the parents they reference. */
  private trim(): void {
    const kept = this.events.slice(-MAX_EVENTS);
    const lowestParent = Math.min(...kept.map((e) => e.parentId ?? Number.POSITIVE_INFINITY));
    const from = Math.min(kept[0]!.id, lowestParent);
    this.events = this.events.filter((e) => e.id >= from);
  }
}

/**
 * An event as the API shows it (`event_manager.rb:9-24`): keys in this order, every key whose
 * value is nil or "" dropped, except `context`, always there (`{}` when empty). Ids and the task
 * are strings, the timestamp epoch seconds.
 */
export function eventToWire(e: AuditEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  };
  put('id', String(e.id));
  put('parent_id', e.parentId === null ? null : String(e.parentId));
  put('timestamp', Math.floor(e.timestamp / 1000));
  put('user', e.user);
  put('action', e.action);
  put('object_type', e.objectType);
  put('object_name', e.objectName);
  put('error', e.error);
  put('task', e.task);
  put('deployment', e.deployment);
  put('instance', e.instance);
  out.context = e.context;
  return out;
}
