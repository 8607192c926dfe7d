/**
 * Pages of audit events as Relay connections. The Director answers `GET /events` with at most
 * 200 events, newest first, and pages only with `before_id` (docs/director-api-notes.md §14), so
 * a page of `first` events reads Director pages until it holds one event more than asked (then
 * older ones exist) or a page comes back short (then none do): `floor(first / 200) + 1` calls at
 * most, the `pageSize` cost of the schema.
 */
import type { EventListQuery } from '../director/operations-api.js';
import type { WireEvent } from '../director/types.js';
import { parseTaskId } from './convert.js';
import { badUserInput } from './errors.js';
import type { Loaders } from './loaders.js';

/** `EVENT_LIMIT` of the Director's events controller. */
export const DIRECTOR_EVENT_PAGE = 200;
const MAX_FIRST = 1000;

export type EventFilters = Omit<EventListQuery, 'beforeId'>;

export interface EventConnection {
  nodes: WireEvent[];
  edges: { cursor: string; node: WireEvent }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const CURSOR = /^event:(\d{1,15})$/;

/** Opaque to clients; it names the event, so the next page starts below its id. */
export function eventCursor(id: string): string {
  return Buffer.from(`event:${id}`).toString('base64url');
}

function afterId(after: string | null | undefined): number | undefined {
  if (after === null || after === undefined) return undefined;
  const match = CURSOR.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match) throw badUserInput('`after` is not a cursor of an audit event page.', { argument: 'after' });
  return Number(match[1]);
}

function checkFirst(first: number | null | undefined): number {
  const value = first ?? 50;
  if (!Number.isInteger(value) || value < 1 || value > MAX_FIRST) {
    throw badUserInput(`first must be between 1 and ${MAX_FIRST}, got ${value}.`, { argument: 'first' });
  }
  return value;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * The filters of `Query.events` as the Director's. `since` is inclusive: the Director's
 * `after_time=T` keeps events at T + 1 s or later, so it is sent one second early. `until` is
 * exclusive, as `before_time` is. Events carry whole seconds, so sub-second bounds round up.
 */
export function eventFilters(args: {
  deployment?: string | null;
  task?: string | null;
  instance?: string | null;
  user?: string | null;
  action?: string | null;
  objectType?: string | null;
  objectName?: string | null;
  since?: string | null;
  until?: string | null;
}): EventFilters {
  const filters: EventFilters = {};
  if (args.deployment) filters.deployment = args.deployment;
  if (args.task) filters.task = String(parseTaskId(args.task));
  if (args.instance) filters.instance = args.instance;
  if (args.user) filters.user = args.user;
  if (args.action) filters.action = args.action;
  if (args.objectType) filters.objectType = args.objectType;
  if (args.objectName) filters.objectName = args.objectName;
  if (args.since) filters.afterTime = Math.ceil(seconds(args.since)) - 1;
  if (args.until) filters.beforeTime = Math.ceil(seconds(args.until));
  return filters;
}

export async function eventConnection(
  loaders: Loaders,
  filters: EventFilters,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<EventConnection> {
  const size = checkFirst(first);
  const start = afterId(after);
  const collected: WireEvent[] = [];
  let beforeId = start;
  for (;;) {
    const page = await loaders.events.load(beforeId === undefined ? filters : { ...filters, beforeId });
    collected.push(...page);
    const last = page.at(-1);
    if (collected.length > size || page.length < DIRECTOR_EVENT_PAGE || !last) break;
    beforeId = Number(last.id);
  }
  const nodes = collected.slice(0, size);
  const edges = nodes.map((node) => ({ cursor: eventCursor(node.id), node }));
  return {
    nodes,
    edges,
    pageInfo: {
      hasNextPage: collected.length > size,
      hasPreviousPage: start !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
