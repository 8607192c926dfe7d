/**
 * The baseline of the query-cost benchmark: the gateway's `Loaders` interface with every
 * memoisation taken out. Each `load` is its own Director call, made when the resolver asks (no
 * per-operation cache, no batching), so running the gateway's own resolvers with these loaders
 * fetches exactly what a frontend that fetched per field, without a cache, would fetch.
 * Same calls as src/graphql/loaders.ts otherwise, including "not found means null".
 */
import DataLoader from 'dataloader';
import type { DirectorApi, TaskListQuery } from '../../src/director/api.js';
import { isDirectorError } from '../../src/director/errors.js';
import type { OutputType } from '../../src/director/types.js';
import type { Loaders } from '../../src/graphql/loaders.js';
import { createOperationLoaders } from '../../src/graphql/operation-loaders.js';

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** One call per `load`, duplicates included. */
function uncached<K, V, C = K>(load: (key: K) => Promise<V>): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))),
    { cache: false, batch: false },
  );
}

async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (isDirectorError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

export function createUncachedLoaders(api: DirectorApi): Loaders {
  return {
    // The benchmark's queries use none of the operations endpoints: their loaders stay as they are.
    ...createOperationLoaders(api),
    info: () => api.info(),
    deployments: () => api.listDeployments(),
    deploymentsByName: async () => new Map((await api.listDeployments()).map((d) => [d.name, d])),
    releases: () => api.listReleases(),
    stemcells: () => api.listStemcells(),
    tasks: uncached<TaskListQuery, Awaited<ReturnType<DirectorApi['listTasks']>>, string>((query) =>
      api.listTasks(query),
    ),
    task: uncached((id: number) => orNull(() => api.getTask(id))),
    taskOutput: uncached((key: string) => {
      const [id, type] = key.split(':') as [string, OutputType];
      return api.getTaskOutput(Number(id), type);
    }),
    deploymentManifest: uncached((name: string) => api.getDeploymentManifest(name)),
    manifest: uncached((name: string) => orNull(() => api.getDeploymentManifest(name))),
    vms: uncached((name: string) => api.listVms(name)),
    instances: uncached((name: string) => api.listInstances(name)),
    vmsFull: uncached((name: string) => api.listVmsFull(name)),
    instancesFull: uncached((name: string) => api.listInstancesFull(name)),
  };
}
