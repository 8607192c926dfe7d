/**
 * Deployment routes: list, create/update (`POST /deployments`, text/yaml only), read the manifest,
 * delete. Every `/deployments/{name}/...` route is a `deployment:` route: the deployment is looked
 * up first (404 70000), then permission on it is checked (401 600000); see http/conditions.ts.
 */
import type { RequestContext } from '../http/context.js';
import { directorError, json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { checkManifest, isRfc3339 } from '../manifest.js';
import type { ConfigIds } from '../operations.js';
import { deploymentToWire } from '../wire.js';

function listDeployments(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  // Each exclude flag applies only to the exact value "true".
  const flag = (name: string) => ctx.query.get(name) === 'true';
  const excludes = {
    configs: flag('exclude_configs'),
    releases: flag('exclude_releases'),
    stemcells: flag('exclude_stemcells'),
    lock: flag('exclude_lock'),
  };
  const { state } = ctx.core;
  const visible = [...state.deployments.values()]
    .filter((d) => access.canOn(d.teams, 'read'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return json(
    200,
    visible.map((d) => deploymentToWire(d, state, excludes)),
  );
}

/**
 * The `context` bosh-cli copies from the diff answer: every id must name a config of the right
 * type that is global or the deployment's teams' (`find_by_ids_for_teams`); a bad JSON is a 500.
 */
function contextConfigs(ctx: RequestContext, teams: readonly string[]): ConfigIds | SimResponse | undefined {
  const raw = ctx.query.get('context');
  if (raw === null) return undefined;
  const parsed = JSON.parse(raw) as { cloud_config_ids?: unknown; runtime_config_ids?: unknown };
  const pick = (ids: unknown): number[] | null => {
    if (!Array.isArray(ids)) return [];
    const found = ids.map((id) =>
      ctx.core.state.configs.find((c) => c.id === Number(id) && (c.team === null || teams.includes(c.team))),
    );
    return found.every((c) => c !== undefined) ? found.map((c) => c!.id) : null;
  };
  const cloud = pick(parsed.cloud_config_ids);
  const runtime = pick(parsed.runtime_config_ids);
  if (cloud === null || runtime === null)
    return directorError(400, 190025, 'Context includes invalid config ID');
  return { cloud, runtime };
}

function deploy(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  const check = checkManifest(ctx.body.toString('utf8'));
  if (!check.ok) return directorError(400, check.code, check.description);
  const q = ctx.query;
  const before = q.get('recreate_vms_created_before');
  if (before !== null) {
    if (q.get('recreate') !== 'true')
      return directorError(400, 40005, 'Must pass recreate=true when specifying recreate_vms_created_before');
    if (!isRfc3339(before))
      return directorError(
        400,
        40005,
        `Invalid RFC 3339 timestamp for recreate_vms_created_before: ${before}`,
      );
  }
  const existing = ctx.core.state.deployments.get(check.name);
  if (existing && !access.canOn(existing.teams, 'admin')) return access.refuseOn(existing.teams, 'admin');
  const configs = contextConfigs(ctx, existing?.teams ?? access.adminTeams);
  if (configs && 'status' in configs) return configs;
  const task = ctx.core.operations.deploy({
    name: check.name,
    manifestText: ctx.body.toString('utf8'),
    doc: check.doc,
    user: access.identity.username,
    adminTeams: access.adminTeams,
    dryRun: q.get('dry_run') === 'true',
    options: {
      recreate: q.get('recreate') === 'true',
      canaries: q.get('canaries') ?? undefined,
      maxInFlight: q.get('max_in_flight') ?? undefined,
    },
    contextId: ctx.contextId,
    configs,
  });
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

function getManifest(ctx: RequestContext): SimResponse {
  return json(200, { manifest: ctx.deployment!.manifest });
}

function deleteDeployment(ctx: RequestContext): SimResponse {
  const name = ctx.deployment!.name;
  const task = ctx.core.operations.deleteDeployment(name, ctx.access!.identity.username, ctx.contextId);
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

export function registerDeployments(router: Router): void {
  router
    .add('GET', '/deployments', listDeployments, { scope: 'list_deployments' })
    .add('POST', '/deployments', deploy, { consumes: 'text/yaml', scope: 'create_deployment' })
    .add('GET', '/deployments/:deployment', getManifest, { deployment: 'read' })
    .add('DELETE', '/deployments/:deployment', deleteDeployment, { deployment: 'admin' });
}
