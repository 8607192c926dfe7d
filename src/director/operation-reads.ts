/**
 * The read side of the operations endpoints (docs/director-api-notes.md §14): audit events,
 * configs and their diffs, variables, certificates, orphans, errands and problems. Each call has
 * its route template and the shape its answer must have; `CallerApi` inherits them.
 */
import { DirectorDiffError, DirectorNotFoundError } from './errors.js';
import type { ConfigDiffRequest, ConfigListQuery, EventListQuery } from './operations-api.js';
import { query, segment } from './paths.js';
import type { Requester } from './requester.js';
import { checks, expectList, expectOne, isObject } from './shapes.js';
import type {
  WireConfig,
  WireConfigDiff,
  WireDeploymentCertificate,
  WireDeploymentDiff,
  WireDirectorCertificate,
  WireErrand,
  WireEvent,
  WireOrphanedDisk,
  WireOrphanedVm,
  WireProblem,
  WireVariable,
} from './wire-operations.js';

const DEPLOYMENT = 'deployment name';
const hasStringId = (value: unknown) => isObject(value) && typeof value.id === 'string';
const isDiff = (value: unknown) => isObject(value) && Array.isArray(value.diff);

/** Booleans as the Director's query parameters read them. */
const bool = (value: boolean | undefined) => (value === undefined ? undefined : String(value));

/**
 * A 404 without a Director error code is Sinatra's "no such route": a Director older than the
 * endpoint. Other 404s (a deployment that is gone, 70000) stay errors.
 */
function isMissingRoute(error: unknown): boolean {
  return error instanceof DirectorNotFoundError && error.directorCode === undefined;
}

export class OperationReads {
  constructor(protected readonly requester: Requester) {}

  async listEvents(q: EventListQuery = {}): Promise<WireEvent[]> {
    const path = `/events${query({
      before_id: q.beforeId,
      before_time: q.beforeTime,
      after_time: q.afterTime,
      task: q.task,
      deployment: q.deployment,
      instance: q.instance,
      user: q.user,
      action: q.action,
      object_type: q.objectType,
      object_name: q.objectName,
    })}`;
    return this.getList<WireEvent>('GET /events', path, hasStringId);
  }

  async listConfigs(q: ConfigListQuery = {}): Promise<WireConfig[]> {
    const path = `/configs${query({ type: q.type, name: q.name, latest: bool(q.latest) })}`;
    return this.getList<WireConfig>('GET /configs', path, hasStringId);
  }

  async getConfig(id: string): Promise<WireConfig> {
    const route = 'GET /configs/:id';
    const response = await this.requester.expect(
      { method: 'GET', route, path: `/configs/${segment(id, 'config id', route)}` },
      [200],
    );
    return expectOne<WireConfig>(response, route, hasStringId);
  }

  /**
   * Config diffs are always redacted by the Director. Content it cannot read is a 400 with an
   * `error` (and no code), which the client maps like any 400.
   */
  async diffConfigs(request: ConfigDiffRequest): Promise<WireConfigDiff> {
    const route = 'POST /configs/diff';
    const response = await this.requester.expect(
      {
        method: 'POST',
        route,
        path: '/configs/diff',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      },
      [200],
    );
    return expectOne<WireConfigDiff>(response, route, isDiff);
  }

  /**
   * The deploy diff answers every failure, a bad manifest included, with a 200 carrying `error`
   * and an empty diff (§14): that answer is an error here, not an empty diff.
   */
  async diffDeployment(name: string, manifest: string, redact: boolean): Promise<WireDeploymentDiff> {
    const route = 'POST /deployments/:name/diff';
    const path = `/deployments/${segment(name, DEPLOYMENT, route)}/diff${query({ redact: String(redact) })}`;
    const response = await this.requester.expect(
      { method: 'POST', route, path, headers: { 'content-type': 'text/yaml' }, body: manifest },
      [200],
    );
    const answer = expectOne<WireDeploymentDiff>(response, route, isDiff);
    if (typeof answer.error === 'string') {
      const first = this.requester.scrub(answer.error.split('\n')[0] ?? '').trim();
      throw new DirectorDiffError(first || 'The Director could not compute the diff', {
        route,
        status: response.status,
      });
    }
    return answer;
  }

  async listVariables(deployment: string): Promise<WireVariable[]> {
    const route = 'GET /deployments/:name/variables';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/variables`;
    return this.getList<WireVariable>(route, path, hasStringId);
  }

  async listCertificateExpiry(deployment: string): Promise<WireDeploymentCertificate[]> {
    const route = 'GET /deployments/:name/certificate_expiry';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/certificate_expiry`;
    return this.optionalList<WireDeploymentCertificate>(route, path);
  }

  async directorCertificateExpiry(): Promise<WireDirectorCertificate[]> {
    return this.optionalList<WireDirectorCertificate>(
      'GET /director/certificate_expiry',
      '/director/certificate_expiry',
    );
  }

  async listOrphanedDisks(): Promise<WireOrphanedDisk[]> {
    return this.getList<WireOrphanedDisk>('GET /disks', '/disks', checks.object);
  }

  async listOrphanedVms(): Promise<WireOrphanedVm[]> {
    return this.getList<WireOrphanedVm>('GET /orphaned_vms', '/orphaned_vms', checks.object);
  }

  async listErrands(deployment: string): Promise<WireErrand[]> {
    const route = 'GET /deployments/:name/errands';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/errands`;
    return this.getList<WireErrand>(route, path, checks.named);
  }

  async listProblems(deployment: string): Promise<WireProblem[]> {
    const route = 'GET /deployments/:name/problems';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/problems`;
    return this.getList<WireProblem>(route, path, checks.object);
  }

  protected async getList<T>(route: string, path: string, check: (value: unknown) => boolean): Promise<T[]> {
    const response = await this.requester.expect({ method: 'GET', route, path }, [200]);
    return expectList<T>(response, route, check);
  }

  /** A list that Directors without the endpoint do not have: for them it is empty. */
  private async optionalList<T>(route: string, path: string): Promise<T[]> {
    try {
      return await this.getList<T>(route, path, checks.object);
    } catch (error) {
      if (isMissingRoute(error)) return [];
      throw error;
    }
  }
}
