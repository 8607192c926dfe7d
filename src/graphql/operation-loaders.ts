/**
 * Per-operation loaders of the operations endpoints, each named after the Director route it
 * calls. Part of `Loaders` (loaders.ts), so they live and die with one operation like the others:
 * a route is called at most once per key per operation, and nothing reaches another operation.
 */
import DataLoader from 'dataloader';
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
import { isNotFound } from './errors.js';

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
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load();
    return pending;
  };
}

/** One Director call per key, each key once, failures per key (as loaders.ts does). */
function perKey<K, V, C = K>(load: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => C): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
        ),
      ),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

/** A query as a cache key: its entries sorted, so key order does not matter. */
const queryKey = (query: object) =>
  JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));

async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function createOperationLoaders(api: DirectorApi): OperationLoaders {
  const seen = new Map<string, WireEvent>();
  const remember = (page: WireEvent[]) => {
    for (const event of page) seen.set(event.id, event);
    return page;
  };
  return {
    events: perKey(async (query) => remember(await api.listEvents(query)), queryKey),
    event: perKey(async (id) => {
      const known = seen.get(id);
      if (known) return known;
      if (!/^\d{1,15}$/.test(id)) return null;
      const page = remember(await api.listEvents({ beforeId: Number(id) + 1 }));
      return page[0]?.id === id ? page[0] : null;
    }),
    locks: once(() => api.listLocks()),
    configs: perKey((query) => api.listConfigs(query), queryKey),
    config: perKey((id) => orNull(() => api.getConfig(id))),
    variables: perKey((name) => api.listVariables(name)),
    certificateExpiry: perKey((name) => api.listCertificateExpiry(name)),
    directorCertificateExpiry: once(() => api.directorCertificateExpiry()),
    disks: once(() => api.listOrphanedDisks()),
    orphanedVms: once(() => api.listOrphanedVms()),
    errands: perKey((name) => api.listErrands(name)),
    problems: perKey((name) => api.listProblems(name)),
  };
}
