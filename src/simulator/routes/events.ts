/**
 * `/events` (`events_controller.rb`): the audit events the simulator records (audit.ts).
 *
 * `GET /events` (scope `read_events`, so team readers too, who see every event) answers at most
 * 200 events, newest id first, after the filters: `before_id` (`id < to_i`), `before_time`
 * (`<`), `after_time` (`>=` one second later, so strictly after at second granularity), and exact
 * matches on `task`, `deployment`, `instance`, `user`, `action`, `object_type` and `object_name`.
 * A time is epoch seconds when it is an integer, else anything Ruby's `Time.parse` reads; a bad
 * one is a plain 400 whose text ends in a space, still labelled JSON.
 */
import { eventToWire } from '../audit.js';
import type { RequestContext } from '../http/context.js';
import { directorError, empty, JSON_TYPE, json, type SimResponse, text } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isRecord } from '../manifest.js';
import { rubyToI } from './tasks.js';

/** `EVENT_LIMIT`. */
const EVENT_LIMIT = 200;

/**
 * `timestamp_filter_value`: epoch seconds for an integer, else `Time.parse`, in the Director's
 * zone (UTC here). Returns epoch ms, or null where Ruby raises ArgumentError.
 */
export function parseEventTime(value: string): number | null {
  if (/^[-+]?\d+$/.test(value)) return Number(value) * 1000;
  const v = value.trim();
  // A date and time without a zone is local time, and the simulated Director's zone is UTC.
  const local = /^(\d{4}-\d\d-\d\d)[ T](\d\d?:\d\d(?::\d\d(?:\.\d+)?)?)$/.exec(v);
  if (local) return Date.parse(`${local[1]}T${local[2]!.padStart(5, '0')}Z`);
  if (/^\d{4}-\d\d-\d\d$/.test(v)) return Date.parse(`${v}T00:00:00Z`);
  if (!/\d/.test(v)) return null;
  const ms = Date.parse(v.replace(/ UTC /, ' GMT '));
  return Number.isNaN(ms) ? null : ms;
}

function list(ctx: RequestContext): SimResponse {
  const q = ctx.query;
  let events = [...ctx.core.state.audit.all()].reverse();
  const beforeId = q.get('before_id');
  if (beforeId !== null) {
    const bound = rubyToI(beforeId);
    events = events.filter((e) => e.id < bound);
  }
  const beforeTime = q.get('before_time');
  if (beforeTime !== null) {
    const t = parseEventTime(beforeTime);
    if (t === null) return text(400, `Invalid before parameter: '${beforeTime}' `, JSON_TYPE);
    events = events.filter((e) => e.timestamp < t);
  }
  const afterTime = q.get('after_time');
  if (afterTime !== null) {
    const t = parseEventTime(afterTime);
    if (t === null) return text(400, `Invalid after parameter: '${afterTime}' `, JSON_TYPE);
    events = events.filter(
      (e) => Math.floor(e.timestamp / 1000) * 1000 >= Math.floor(t / 1000) * 1000 + 1000,
    );
  }
  const exact = [
    ['task', 'task'],
    ['deployment', 'deployment'],
    ['instance', 'instance'],
    ['user', 'user'],
    ['action', 'action'],
    ['object_type', 'objectType'],
    ['object_name', 'objectName'],
  ] as const;
  for (const [param, field] of exact) {
    const wanted = q.get(param);
    if (wanted !== null) events = events.filter((e) => e[field] === wanted);
  }
  return json(200, events.slice(0, EVENT_LIMIT).map(eventToWire), JSON_TYPE);
}

function show(ctx: RequestContext, id: string): SimResponse {
  const event = ctx.core.state.audit.get(rubyToI(id));
  if (!event) return text(404, 'Event not found', JSON_TYPE);
  return json(200, eventToWire(event), JSON_TYPE);
}

/** `POST /events`: admin, JSON; 200 with an empty body. */
function create(ctx: RequestContext): SimResponse {
  const payload: unknown = JSON.parse(ctx.body.toString('utf8'));
  if (!isRecord(payload)) throw new Error('payload is not a hash');
  const missing = (k: string) => payload[k] === undefined || payload[k] === null;
  if (missing('action') || missing('object_type') || missing('object_name')) {
    return directorError(400, 40000, 'Action, object_type, object_name are required');
  }
  const context = payload.context;
  if (context !== undefined && context !== null && !isRecord(context)) {
    return directorError(400, 40000, 'Context must be a hash');
  }
  let timestamp = ctx.core.clock.now();
  if (payload.timestamp !== undefined && payload.timestamp !== null) {
    const t = parseEventTime(String(payload.timestamp));
    if (t === null) return text(400, `Invalid timestamp parameter: '${payload.timestamp}' `);
    timestamp = t;
  }
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  ctx.core.state.audit.record(
    {
      user: ctx.access!.identity.username,
      action: String(payload.action),
      objectType: String(payload.object_type),
      objectName: str(payload.object_name),
      deployment: str(payload.deployment),
      instance: str(payload.instance),
      error: str(payload.error),
      context: (context as Record<string, unknown> | undefined) ?? {},
    },
    timestamp,
  );
  return { ...empty(200), headers: { 'Content-Type': 'text/html;charset=utf-8' } };
}

export function registerEvents(router: Router): void {
  router
    .add('GET', '/events/:id', (ctx, p) => show(ctx, p.id!))
    .add('GET', '/events', list, { scope: 'read_events' })
    .add('POST', '/events', create, { consumes: 'application/json' });
}
