/**
 * Per-operation loaders of the operations endpoints, each named after the Director route it
 * calls. Part of `Loaders` (loaders.ts), so they live and die with one operation like the others:
 * a route is called at most once per key per operation, and nothing reaches another operation.
 */
import type DataLoader from 'dataloader';
import type { DirectorApi } from '../director/api.js';
import type { ConfigListQuery, EventListQuery } from '../director/operations-api.js';
import type {
  WireConfig,
  WireDeploymentCertificate,
  WireDirectorCertificate,
  WireErrand,
  WireEvent,
  WireLock,
  WireOrphanedDisk,
  WireOrphanedVm,
  WireProblem,
  WireVariable,
} from '../director/types.js';
import { type FieldBuilders, once, orNull, perKey } from './loader-kit.js';

export interface OperationLoaders {
  /** One `GET /events` each, keyed by its query: the same page asked twice costs one call. */
  events: DataLoader<EventListQuery, WireEvent[], string>;
  /**
   * One audit event by id: from the pages this operation already read when it is among them,
   * else `GET /events?before_id=<id + 1>` (which every reader of events may call, unlike
   * `GET /events/{id}`, which needs admin). Null when the Director no longer has it.
   */
  event: DataLoader<string, WireEvent | null>;
  locks(): Promise<WireLock[]>;
  configs: DataLoader<ConfigListQuery, WireConfig[], string>;
  /** `GET /configs/{id}`, or null when the Director has no such config. */
  config: DataLoader<string, WireConfig | null>;
  variables: DataLoader<string, WireVariable[]>;
  /** `GET /deployments/{name}/certificate_expiry`, by deployment. */
  certificateExpiry: DataLoader<string, WireDeploymentCertificate[]>;
  directorCertificateExpiry(): Promise<WireDirectorCertificate[]>;
  /** `GET /disks`: the orphaned disks. */
  disks(): Promise<WireOrphanedDisk[]>;
  orphanedVms(): Promise<WireOrphanedVm[]>;
  errands: DataLoader<string, WireErrand[]>;
  problems: DataLoader<string, WireProblem[]>;
  /** The audit events this operation has read, by id: `event` answers from them when it can. */
  eventsSeen: Map<string, WireEvent>;
}

/** A query as a cache key: its entries sorted, so key order does not matter. */
const queryKey = (query: object) =>
  JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));

/** Each made on first use, from a thunk of the operation's Director API (`lazyFields`). */
export const OPERATION_LOADERS: FieldBuilders<OperationLoaders, () => DirectorApi> = {
  eventsSeen: () => new Map(),
  events: (api, self) =>
    perKey(async (query) => remember(self.eventsSeen, await api().listEvents(query)), queryKey),
  event: (api, self) =>
    perKey(async (id) => {
      const known = self.eventsSeen.get(id);
      if (known) return known;
      if (!/^\d{1,15}$/.test(id)) return null;
      const page = remember(self.eventsSeen, await api().listEvents({ beforeId: Number(id) + 1 }));
      return page[0]?.id === id ? page[0] : null;
    }),
  locks: (api) => once(() => api().listLocks()),
  configs: (api) => perKey((query) => api().listConfigs(query), queryKey),
  config: (api) => perKey((id) => orNull(() => api().getConfig(id))),
  variables: (api) => perKey((name) => api().listVariables(name)),
  certificateExpiry: (api) => perKey((name) => api().listCertificateExpiry(name)),
  directorCertificateExpiry: (api) => once(() => api().directorCertificateExpiry()),
  disks: (api) => once(() => api().listOrphanedDisks()),
  orphanedVms: (api) => once(() => api().listOrphanedVms()),
  errands: (api) => perKey((name) => api().listErrands(name)),
  problems: (api) => perKey((name) => api().listProblems(name)),
};

function remember(seen: Map<string, WireEvent>, page: WireEvent[]): WireEvent[] {
  for (const event of page) seen.set(event.id, event);
  return page;
}
