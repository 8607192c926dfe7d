/**
 * The baseline of the query-cost benchmark: the gateway's `Loaders` interface with every
 * memoisation taken out. Each `load` is its own Director call, made when the resolver asks (no
 * per-operation cache, no batching), so running the gateway's own resolvers with these loaders
 * fetches exactly what a frontend that fetched per field, without a cache, would fetch.
 * Same calls as src/graphql/loaders.ts otherwise, including "not found means null".
 */
import DataLoader from 'dataloader';
import type { DirectorApi, TaskListQuery } from '../../src/director/api.js';
import type { OutputType } from '../../src/director/types.js';
import { lazyFields, orNull, toError } from '../../src/graphql/loader-kit.js';
import type { Loaders } from '../../src/graphql/loaders.js';
import { OPERATION_LOADERS } from '../../src/graphql/operation-loaders.js';

/** One call per `load`, duplicates included. */
function uncached<K, V, C = K>(load: (key: K) => Promise<V>): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))),
    { cache: false, batch: false },
  );
}

const makeUncached = lazyFields<Loaders, () => DirectorApi>({
  // The benchmark's queries use none of the operations endpoints: their loaders stay as they are.
  ...OPERATION_LOADERS,
  info: (api) => () => api().info(),
  deployments: (api) => () => api().listDeployments(),
  deploymentsByName: (api) => async () => new Map((await api().listDeployments()).map((d) => [d.name, d])),
  releases: (api) => () => api().listReleases(),
  stemcells: (api) => () => api().listStemcells(),
  tasks: (api) =>
    uncached<TaskListQuery, Awaited<ReturnType<DirectorApi['listTasks']>>, string>((query) =>
      api().listTasks(query),
    ),
  task: (api) => uncached((id: number) => orNull(() => api().getTask(id))),
  taskOutput: (api) =>
    uncached((key: string) => {
      const [id, type] = key.split(':') as [string, OutputType];
      return api().getTaskOutput(Number(id), type);
    }),
  deploymentManifest: (api) => uncached((name: string) => api().getDeploymentManifest(name)),
  manifest: (api) => uncached((name: string) => orNull(() => api().getDeploymentManifest(name))),
  vms: (api) => uncached((name: string) => api().listVms(name)),
  instances: (api) => uncached((name: string) => api().listInstances(name)),
  vmsFull: (api) => uncached((name: string) => api().listVmsFull(name)),
  instancesFull: (api) => uncached((name: string) => api().listInstancesFull(name)),
  // Nothing is kept, so nothing started early could serve a field: a client without a cache
  // would not make the call.
  startEarly: () => () => undefined,
});

export function createUncachedLoaders(api: DirectorApi): Loaders {
  return makeUncached(() => api);
}
