/**
 * The write side of the operations endpoints (docs/director-api-notes.md §14): config changes,
 * instance state changes, errands, cloud check, orphaned disks, ignore and bulk cancel. Calls
 * that start a task return its id from the redirect at once; none is ever retried (§7).
 */
import { DirectorNotFoundError } from './errors.js';
import { OperationReads } from './operation-reads.js';
import type {
  ErrandRun,
  InstanceActionRequest,
  InstanceStateChange,
  TaskCancelSelector,
} from './operations-api.js';
import { contextIdHeader, query, segment } from './paths.js';
import type { RequestSpec } from './requester.js';
import { expectOne, isObject } from './shapes.js';
import { startTask } from './tasks.js';
import type { WireConfig } from './wire-operations.js';

const DEPLOYMENT = 'deployment name';
const JSON_TYPE = { 'content-type': 'application/json' };
const flag = (value: boolean | undefined): 'true' | undefined => (value ? 'true' : undefined);

export class OperationWrites extends OperationReads {
  async createConfig(config: { type: string; name: string; content: string }): Promise<WireConfig> {
    const route = 'POST /configs';
    const response = await this.requester.expect(
      { method: 'POST', route, path: '/configs', headers: JSON_TYPE, body: JSON.stringify(config) },
      [200, 201],
    );
    return expectOne<WireConfig>(response, route, (v) => isObject(v) && typeof v.id === 'string');
  }

  async deleteConfig(type: string, name: string): Promise<boolean> {
    const route = 'DELETE /configs';
    try {
      await this.requester.expect(
        { method: 'DELETE', route, path: `/configs${query({ type, name })}` },
        [200, 204],
      );
      return true;
    } catch (error) {
      // No live config of that type and name: a 404 with an empty body.
      if (error instanceof DirectorNotFoundError) return false;
      throw error;
    }
  }

  /**
   * The route bosh-cli's start, stop, restart and recreate use: a deploy of the stored manifest
   * with a state override. `text/yaml` with an empty body (the wrong type is a 404); query keys
   * sorted, as bosh-cli sends them.
   */
  async changeInstanceState(change: InstanceStateChange, contextId?: string): Promise<number> {
    const group = change.instanceGroup;
    const route =
      change.instance === undefined
        ? 'PUT /deployments/:name/jobs/:group'
        : 'PUT /deployments/:name/jobs/:group/:id';
    const target =
      (group === undefined ? '*' : segment(group, 'instance group', route)) +
      (change.instance === undefined ? '' : `/${segment(change.instance, 'instance', route)}`);
    const path = `/deployments/${segment(change.deployment, DEPLOYMENT, route)}/jobs/${target}${query({
      canaries: change.canaries,
      dry_run: flag(change.dryRun),
      fix: flag(change.fix),
      max_in_flight: change.maxInFlight,
      recreate_vms_created_before: change.recreateVmsCreatedBefore,
      skip_drain: flag(change.skipDrain),
      state: change.state,
    })}`;
    return this.start(
      { method: 'PUT', route, path, headers: { 'content-type': 'text/yaml' }, body: '' },
      contextId,
    );
  }

  async instanceAction(request: InstanceActionRequest, contextId?: string): Promise<number> {
    const route = `POST /deployments/:name/instance_groups/:group/:id/actions/${request.action}`;
    const path =
      `/deployments/${segment(request.deployment, DEPLOYMENT, route)}` +
      `/instance_groups/${segment(request.instanceGroup, 'instance group', route)}` +
      `/${segment(request.instance, 'instance', route)}/actions/${request.action}${query({
        hard: flag(request.hard),
        ignore_unresponsive_agent: flag(request.ignoreUnresponsiveAgent),
        skip_drain: flag(request.skipDrain),
      })}`;
    return this.start({ method: 'POST', route, path }, contextId);
  }

  /** The body's keys are hyphenated: the Director silently ignores underscore spellings (§14). */
  async runErrand(deployment: string, name: string, run: ErrandRun, contextId?: string): Promise<number> {
    const route = 'POST /deployments/:name/errands/:errand/runs';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/errands/${segment(name, 'errand name', route)}/runs`;
    const body = {
      'keep-alive': run.keepAlive === true,
      'when-changed': run.whenChanged === true,
      instances: (run.instances ?? []).map((i) => (i.id === undefined ? { group: i.group } : i)),
    };
    return this.start(
      { method: 'POST', route, path, headers: JSON_TYPE, body: JSON.stringify(body) },
      contextId,
    );
  }

  async scanDeployment(deployment: string): Promise<number> {
    const route = 'POST /deployments/:name/scans';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/scans`;
    return this.start({ method: 'POST', route, path });
  }

  async resolveProblems(deployment: string, resolutions: Record<string, string | null>): Promise<number> {
    const route = 'PUT /deployments/:name/problems';
    const path = `/deployments/${segment(deployment, DEPLOYMENT, route)}/problems`;
    return this.start({
      method: 'PUT',
      route,
      path,
      headers: JSON_TYPE,
      body: JSON.stringify({ resolutions }),
    });
  }

  async deleteOrphanedDisk(cid: string): Promise<number> {
    const route = 'DELETE /disks/:cid';
    return this.start({ method: 'DELETE', route, path: `/disks/${segment(cid, 'disk cid', route)}` });
  }

  async ignoreInstance(deployment: string, group: string, instance: string, ignore: boolean): Promise<void> {
    const route = 'PUT /deployments/:name/instance_groups/:group/:id/ignore';
    const path =
      `/deployments/${segment(deployment, DEPLOYMENT, route)}` +
      `/instance_groups/${segment(group, 'instance group', route)}/${segment(instance, 'instance', route)}/ignore`;
    await this.requester.expect(
      { method: 'PUT', route, path, headers: JSON_TYPE, body: JSON.stringify({ ignore }) },
      [200, 204],
    );
  }

  async cancelTasks(selector: TaskCancelSelector): Promise<void> {
    const route = 'POST /tasks/cancel';
    // Only the keys given, as bosh-cli sends them: a missing key takes the Director's default.
    const body: Record<string, unknown> = {};
    if (selector.states !== undefined) body.states = selector.states;
    if (selector.types !== undefined) body.types = selector.types;
    if (selector.deployment !== undefined) body.deployment = selector.deployment;
    await this.requester.expect(
      { method: 'POST', route, path: '/tasks/cancel', headers: JSON_TYPE, body: JSON.stringify(body) },
      [200, 204],
    );
  }

  private start(spec: RequestSpec, contextId?: string): Promise<number> {
    const headers = { ...spec.headers, ...contextIdHeader(contextId, spec.route) };
    return startTask(this.requester, { ...spec, headers });
  }
}
