/**
 * Per-operation loaders: every GraphQL operation (HTTP request, SSE subscription or WebSocket
 * operation) gets fresh ones, bound to that caller's DirectorApi. So a query costs each Director
 * call at most once, and nothing one user fetched can reach another user's operation: there is no
 * cache outside this object (the dataloader rule: a new loader per request).
 */
import DataLoader from 'dataloader';
import type { DirectorApi, TaskListQuery } from '../director/api.js';
import type {
  WireDeployment,
  WireInfo,
  WireInstance,
  WireRelease,
  WireStemcell,
  WireTask,
  WireVm,
  WireVmFull,
} from '../director/types.js';
import { isNotFound } from './errors.js';
import { createOperationLoaders, type OperationLoaders } from './operation-loaders.js';

/** The operations endpoints' loaders (events, configs, locks, ...) come from operation-loaders.ts. */
export interface Loaders extends OperationLoaders {
  info(): Promise<WireInfo>;
  deployments(): Promise<WireDeployment[]>;
  /** The deployments list as a map by name, built once. */
  deploymentsByName(): Promise<Map<string, WireDeployment>>;
  releases(): Promise<WireRelease[]>;
  stemcells(): Promise<WireStemcell[]>;
  /** Task lists, keyed by their query: the same list asked twice (aliases, fragments) costs one call. */
  tasks: DataLoader<TaskListQuery, WireTask[], string>;
  /** A task by id, or null when the Director has none. */
  task: DataLoader<number, WireTask | null>;
  /** Whole outputs of a task, keyed by `<id>:<type>`. */
  taskOutput: DataLoader<string, string>;
  /**
   * `GET /deployments/{name}` as the Director answers it: the manifest, or NOT_FOUND for a
   * deployment it does not have and FORBIDDEN for one the caller may not read.
   */
  deploymentManifest: DataLoader<string, string | null>;
  /** The manifest, null when the deployment has none or is gone. */
  manifest: DataLoader<string, string | null>;
  vms: DataLoader<string, WireVm[]>;
  instances: DataLoader<string, WireInstance[]>;
  /** One `vms?format=full` task per deployment, shared by every VM of it in this operation. */
  vmsFull: DataLoader<string, WireVmFull[]>;
  instancesFull: DataLoader<string, WireVmFull[]>;
}

/** Memoises a call for the life of the loaders (one operation). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load();
    return pending;
  };
}

/**
 * A loader whose keys are fetched one Director call each (the REST API has no batch endpoints),
 * concurrently, and each key at most once. Per-key failures stay per key, as dataloader expects.
 */
function perKey<K, V, C = K>(load: (key: K) => Promise<V>, cacheKeyFn?: (key: K) => C): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function createLoaders(api: DirectorApi): Loaders {
  const deployments = once(() => api.listDeployments());
  const deploymentManifest = perKey((name: string) => api.getDeploymentManifest(name));
  return {
    ...createOperationLoaders(api),
    info: once(() => api.info()),
    deployments,
    deploymentsByName: once(async () => new Map((await deployments()).map((d) => [d.name, d]))),
    releases: once(() => api.listReleases()),
    stemcells: once(() => api.listStemcells()),
    tasks: perKey(
      (query) => api.listTasks(query),
      (query) =>
        JSON.stringify([
          query.states ?? null,
          query.deployment ?? null,
          query.contextId ?? null,
          query.limit ?? null,
          query.verbose ?? null,
        ]),
    ),
    task: perKey(async (id) => {
      try {
        return await api.getTask(id);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    }),
    taskOutput: perKey((key) => {
      const [id, type] = key.split(':') as [string, 'event' | 'result' | 'debug'];
      return api.getTaskOutput(Number(id), type);
    }),
    deploymentManifest,
    manifest: perKey(async (name) => {
      try {
        return await deploymentManifest.load(name);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    }),
    vms: perKey((name) => api.listVms(name)),
    instances: perKey((name) => api.listInstances(name)),
    vmsFull: perKey((name) => api.listVmsFull(name)),
    instancesFull: perKey((name) => api.listInstancesFull(name)),
  };
}
