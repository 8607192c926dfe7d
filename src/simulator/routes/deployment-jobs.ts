/**
 * The `jobs` part of `deployments_controller` (`:20-133`): `GET /deployments/{d}/jobs/{ig}/{id}`
 * and the converging state changes `PUT /deployments/{d}/jobs/{ig|*}[/{index|uuid}]`.
 *
 * A state change is a deploy carrying a state override (description `create deployment`). Its
 * `state` is not checked here but in the task (140008, 140007). With no body, the stored
 * manifest is redeployed with the configs the deployment has now; a body replaces the manifest
 * (its name forced to d) and takes the latest configs. The instance form reads only `state`,
 * `skip_drain`, `fix` and `dry_run`.
 */
import { yamlDump } from '../configs.js';
import type { RequestContext } from '../http/context.js';
import { checkIndexOrId, findInstance, instanceNotFound } from '../http/instances.js';
import { directorError, json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import type { PlanOptions } from '../jobs/plan.js';
import { checkManifest, isRfc3339 } from '../manifest.js';

function show(ctx: RequestContext, group: string, indexOrId: string): SimResponse {
  const d = ctx.deployment!;
  const i = findInstance(d, group, indexOrId);
  if (!i) return instanceNotFound(d, group, indexOrId);
  return json(200, {
    deployment: d.name,
    job: i.group,
    index: i.index,
    id: i.id,
    state: i.state,
    disks: i.diskCid ? [i.diskCid] : [],
  });
}

function changeState(ctx: RequestContext, group: string, indexOrId?: string): SimResponse {
  const d = ctx.deployment!;
  const q = ctx.query;
  const state = q.get('state');
  let index: number | undefined;
  if (indexOrId !== undefined) {
    const bad = checkIndexOrId(indexOrId);
    if (bad) return bad;
    const i = findInstance(d, group, indexOrId);
    if (!i) return instanceNotFound(d, group, indexOrId);
    index = i.index;
  }
  const options: Partial<PlanOptions> = { jobState: { group, index, state } };
  if (q.get('skip_drain') === 'true') options.skipDrain = group;
  if (q.get('fix') === 'true') options.fix = true;
  if (indexOrId === undefined) {
    if (q.has('canaries')) options.canaries = q.get('canaries')!;
    if (q.has('max_in_flight')) options.maxInFlight = q.get('max_in_flight')!;
    const before = q.get('recreate_vms_created_before');
    if (before !== null) {
      if (state !== 'recreate')
        return directorError(
          400,
          40005,
          'Must pass state=recreate when specifying recreate_vms_created_before',
        );
      if (!isRfc3339(before))
        return directorError(
          400,
          40005,
          `Invalid RFC 3339 timestamp for recreate_vms_created_before: ${before}`,
        );
      options.recreateBefore = Date.parse(before);
    }
  }
  const dryRun = q.get('dry_run') === 'true';
  const user = ctx.access!.identity.username;
  const ops = ctx.core.operations;
  // The group form redeploys the stored manifest only when a state is given.
  if (ctx.body.length === 0 && (indexOrId !== undefined || state !== null)) {
    const task = ops.redeployStored(d.name, user, options, dryRun, ctx.contextId);
    return redirectToTask(ctx.scheme, ctx.host, task.id);
  }
  const check = checkManifest(ctx.body.toString('utf8'), false);
  if (!check.ok) return directorError(400, check.code, check.description);
  check.doc.name = d.name;
  const task = ops.deploy({
    name: d.name,
    manifestText: yamlDump(check.doc),
    doc: check.doc,
    user,
    adminTeams: [],
    dryRun,
    options,
    contextId: ctx.contextId,
  });
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

export function registerDeploymentJobs(router: Router): void {
  router
    .add('GET', '/deployments/:deployment/jobs/:job/:id', (ctx, p) => show(ctx, p.job!, p.id!), {
      deployment: 'admin',
    })
    .add('PUT', '/deployments/:deployment/jobs/:job', (ctx, p) => changeState(ctx, p.job!), {
      consumes: 'text/yaml',
      deployment: 'admin',
    })
    .add('PUT', '/deployments/:deployment/jobs/:job/:id', (ctx, p) => changeState(ctx, p.job!, p.id!), {
      consumes: 'text/yaml',
      deployment: 'admin',
    });
}
