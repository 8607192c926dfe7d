/**
 * Per-operation loaders: every GraphQL operation (HTTP request, SSE subscription or WebSocket
 * operation) gets fresh ones, bound to that caller's DirectorApi. So a query costs each Director
 * call at most once, and nothing one user fetched can reach another user's operation: there is no
 * cache outside this object (the dataloader rule: a new loader per request).
 */
import type DataLoader from 'dataloader';
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
import { lazyFields, once, orNull, perKey } from './loader-kit.js';
import { OPERATION_LOADERS, type OperationLoaders } from './operation-loaders.js';

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
  /**
   * Starts a memoised list now, for the fields that will read it later (prefetch.ts). Its failure
   * is theirs to see; none is left unhandled when no field reads it.
   */
  startEarly(list: 'stemcells' | 'releases'): void;
}

/** Made on first use each, from a thunk of the operation's Director API. */
const makeLoaders = lazyFields<Loaders, () => DirectorApi>({
  ...OPERATION_LOADERS,
  info: (api) => once(() => api().info()),
  deployments: (api) => once(() => api().listDeployments()),
  deploymentsByName: (_api, self) =>
    once(async () => new Map((await self.deployments()).map((d) => [d.name, d]))),
  releases: (api) => once(() => api().listReleases()),
  stemcells: (api) => once(() => api().listStemcells()),
  tasks: (api) =>
    perKey(
      (query) => api().listTasks(query),
      (query) =>
        JSON.stringify([
          query.states ?? null,
          query.deployment ?? null,
          query.contextId ?? null,
          query.limit ?? null,
          query.verbose ?? null,
        ]),
    ),
  task: (api) => perKey((id) => orNull(() => api().getTask(id))),
  taskOutput: (api) =>
    perKey((key) => {
      const [id, type] = key.split(':') as [string, 'event' | 'result' | 'debug'];
      return api().getTaskOutput(Number(id), type);
    }),
  deploymentManifest: (api) => perKey((name) => api().getDeploymentManifest(name)),
  manifest: (_api, self) => perKey((name) => orNull(() => self.deploymentManifest.load(name))),
  vms: (api) => perKey((name) => api().listVms(name)),
  instances: (api) => perKey((name) => api().listInstances(name)),
  vmsFull: (api) => perKey((name) => api().listVmsFull(name)),
  instancesFull: (api) => perKey((name) => api().listInstancesFull(name)),
  startEarly: (_api, self) => (list) => {
    self[list]().catch(() => undefined);
  },
});

/**
 * The loaders of one operation. `api` is asked on a loader's first call, so an operation that
 * reads nothing from the Director never makes its API.
 */
export function createLoaders(api: () => DirectorApi): Loaders {
  return makeLoaders(api);
}
