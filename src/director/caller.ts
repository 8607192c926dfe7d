/**
 * `DirectorApi` bound to one caller's credentials: every endpoint the gateway uses, each with its
 * route template, its success statuses and the shape its answer must have. No GraphQL here.
 */
import type {
  DeploymentListQuery,
  DeployOptions,
  DirectorApi,
  OutputRead,
  TaskListQuery,
  WaitOptions,
} from './api.js';
import { parseNdjson } from './ndjson.js';
import { OperationWrites } from './operation-writes.js';
import { getTaskOutput, readTaskOutput } from './output.js';
import { contextIdHeader, query, segment, taskId } from './paths.js';
import type { Requester } from './requester.js';
import { checks, expectList, expectOne } from './shapes.js';
import { getTask, requireDone, startTask, type WaitDefaults, waitForTask } from './tasks.js';
import type {
  OutputType,
  WireDeployment,
  WireInfo,
  WireInstance,
  WireLock,
  WireRelease,
  WireStemcell,
  WireTask,
  WireVm,
  WireVmFull,
} from './types.js';

/** What every caller's API shares: the task wait's defaults and the output and vms-task bounds. */
export interface CallerSettings extends WaitDefaults {
  /** Most bytes one ranged output read asks for; at most the client's `maxResponseBytes`. */
  outputChunkBytes: number;
  /** Deadline of the `vms` task behind `format=full` when the caller names none. */
  vmsTaskTimeoutMs: number;
}

/** `exclude_*` flags count only as the exact string `true` (docs/director-api-notes.md §11). */
const flag = (value: boolean | undefined): 'true' | undefined => (value ? 'true' : undefined);

/** The operations endpoints (events, configs, errands, cloud check, ...) come from `OperationWrites`. */
export class CallerApi extends OperationWrites implements DirectorApi {
  readonly #requester: Requester;
  readonly #settings: CallerSettings;
  readonly outputChunkBytes: number;

  constructor(requester: Requester, settings: CallerSettings) {
    super(requester);
    this.#requester = requester;
    this.#settings = settings;
    this.outputChunkBytes = settings.outputChunkBytes;
  }

  async info(): Promise<WireInfo> {
    const route = 'GET /info';
    const response = await this.#requester.expect({ method: 'GET', route, path: '/info' }, [200]);
    return expectOne<WireInfo>(response, route, checks.info);
  }

  async listTasks(q: TaskListQuery = {}): Promise<WireTask[]> {
    const route = 'GET /tasks';
    const path = `/tasks${query({
      state: q.states?.join(','),
      deployment: q.deployment,
      context_id: q.contextId,
      limit: q.limit,
      verbose: q.verbose,
    })}`;
    const response = await this.#requester.expect({ method: 'GET', route, path }, [200]);
    return expectList<WireTask>(response, route, checks.task);
  }

  async getTask(id: number): Promise<WireTask> {
    return getTask(this.#requester, id);
  }

  async readTaskOutput(id: number, type: OutputType, from?: number, to?: number): Promise<OutputRead> {
    return readTaskOutput(this.#requester, id, type, from, to);
  }

  async getTaskOutput(id: number, type: OutputType): Promise<string> {
    return getTaskOutput(this.#requester, id, type);
  }

  async waitForTask(id: number, options: WaitOptions = {}): Promise<WireTask> {
    return waitForTask(this.#requester, id, options, this.#settings);
  }

  async cancelTask(id: number): Promise<void> {
    // Singular `/task`; refusals of finished tasks are a plain-text 400 (§5).
    const route = 'DELETE /task/:id';
    await this.#requester.expect({ method: 'DELETE', route, path: `/task/${taskId(id, route)}` }, [200, 204]);
  }

  async listStemcells(): Promise<WireStemcell[]> {
    return this.#list<WireStemcell>('GET /stemcells', '/stemcells', checks.named);
  }

  async listReleases(): Promise<WireRelease[]> {
    return this.#list<WireRelease>('GET /releases', '/releases', checks.named);
  }

  async listDeployments(q: DeploymentListQuery = {}): Promise<WireDeployment[]> {
    const path = `/deployments${query({
      exclude_configs: flag(q.excludeConfigs),
      exclude_releases: flag(q.excludeReleases),
      exclude_stemcells: flag(q.excludeStemcells),
      exclude_lock: flag(q.excludeLock),
    })}`;
    return this.#list<WireDeployment>('GET /deployments', path, checks.named);
  }

  async getDeploymentManifest(name: string): Promise<string | null> {
    const route = 'GET /deployments/:name';
    const path = `/deployments/${segment(name, 'deployment name', route)}`;
    const response = await this.#requester.expect({ method: 'GET', route, path }, [200]);
    return expectOne<{ manifest: string | null }>(response, route, checks.manifest).manifest;
  }

  async listVms(deployment: string): Promise<WireVm[]> {
    const route = 'GET /deployments/:name/vms';
    return this.#list<WireVm>(
      route,
      `/deployments/${segment(deployment, 'deployment name', route)}/vms`,
      checks.object,
    );
  }

  async listInstances(deployment: string): Promise<WireInstance[]> {
    const route = 'GET /deployments/:name/instances';
    const path = `/deployments/${segment(deployment, 'deployment name', route)}/instances`;
    return this.#list<WireInstance>(route, path, checks.object);
  }

  async listVmsFull(deployment: string, options: WaitOptions = {}): Promise<WireVmFull[]> {
    return this.#full('vms', deployment, options);
  }

  async listInstancesFull(deployment: string, options: WaitOptions = {}): Promise<WireVmFull[]> {
    return this.#full('instances', deployment, options);
  }

  async listLocks(): Promise<WireLock[]> {
    return this.#list<WireLock>('GET /locks', '/locks', checks.object);
  }

  async deploy(manifest: string, options: DeployOptions = {}, contextId?: string): Promise<number> {
    const route = 'POST /deployments';
    const skipDrain = options.skipDrain === '*' ? '*' : options.skipDrain?.join(',');
    const path = `/deployments${query({
      recreate: flag(options.recreate),
      skip_drain: skipDrain === '' ? undefined : skipDrain,
      fix: flag(options.fix),
      dry_run: flag(options.dryRun),
      canaries: options.canaries,
      max_in_flight: options.maxInFlight,
      context: options.context
        ? JSON.stringify({
            cloud_config_ids: options.context.cloudConfigIds,
            runtime_config_ids: options.context.runtimeConfigIds,
          })
        : undefined,
    })}`;
    // Exactly `text/yaml`: with any other media type no route matches and the Director says 404 (§2).
    const headers = { 'content-type': 'text/yaml', ...contextIdHeader(contextId, route) };
    return startTask(this.#requester, { method: 'POST', route, path, headers, body: manifest });
  }

  async deleteDeployment(
    name: string,
    options: { force?: boolean } = {},
    contextId?: string,
  ): Promise<number> {
    const route = 'DELETE /deployments/:name';
    const path = `/deployments/${segment(name, 'deployment name', route)}${query({ force: flag(options.force) })}`;
    return startTask(this.#requester, {
      method: 'DELETE',
      route,
      path,
      headers: contextIdHeader(contextId, route),
    });
  }

  async #list<T>(route: string, path: string, check: (value: unknown) => boolean): Promise<T[]> {
    const response = await this.#requester.expect({ method: 'GET', route, path }, [200]);
    return expectList<T>(response, route, check);
  }

  /**
   * `format=full` is answered by a `vms` task (§4): start it (a GET, so retried like any GET; a
   * duplicate only reads), wait (at most `vmsTaskTimeoutMs` unless the caller says otherwise: a
   * task that never ends must not hold a query forever), require `done`, then read the NDJSON
   * result.
   */
  async #full(kind: 'vms' | 'instances', deployment: string, options: WaitOptions): Promise<WireVmFull[]> {
    const route = `GET /deployments/:name/${kind}`;
    const path = `/deployments/${segment(deployment, 'deployment name', route)}/${kind}${query({ format: 'full' })}`;
    const id = await startTask(this.#requester, { method: 'GET', route, path, signal: options.signal });
    const task = await this.waitForTask(id, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.#settings.vmsTaskTimeoutMs,
    });
    requireDone(task, route);
    const text = await this.getTaskOutput(id, 'result');
    return parseNdjson<WireVmFull>(text, route);
  }
}
