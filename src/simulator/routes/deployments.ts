/**
 * Deployment routes: list, create/update (`POST /deployments`, text/yaml only), read the manifest,
 * delete. Every `/deployments/{name}/...` route looks the deployment up first (404 70000), then
 * checks permission on it (401 600000).
 */
import type { RequestContext } from '../http/context.js';
import {
  deploymentNotFound,
  directorError,
  json,
  redirectToTask,
  type SimResponse,
} from '../http/response.js';
import type { Router } from '../http/router.js';
import { checkManifest } from '../manifest.js';
import type { Deployment } from '../types.js';
import { deploymentToWire } from '../wire.js';
import { registerDiff } from './diff.js';

export type Guarded = { d: Deployment } | { error: SimResponse };

/** Looks a deployment up and checks `level` on it, in the Director's order. */
export function guardDeployment(ctx: RequestContext, name: string, level: 'read' | 'admin'): Guarded {
  const d = ctx.core.state.deployments.get(name);
  if (!d) return { error: deploymentNotFound(name) };
  const access = ctx.access!;
  const allowed = level === 'read' ? access.canRead(d.teams) : access.canAdmin(d.teams);
  return allowed ? { d } : { error: access.forbidden(level, d.teams) };
}

function listDeployments(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.canList()) return access.forbidden('read');
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
    .filter((d) => access.canRead(d.teams))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return json(
    200,
    visible.map((d) => deploymentToWire(d, state, excludes)),
  );
}

/** Validates the `context` query parameter bosh-cli copies from the diff answer. */
function checkContext(ctx: RequestContext): SimResponse | null {
  const raw = ctx.query.get('context');
  if (raw === null) return null;
  const parsed = JSON.parse(raw) as { cloud_config_ids?: unknown; runtime_config_ids?: unknown };
  const known = new Set(ctx.core.state.configs.map((c) => c.id));
  for (const key of ['cloud_config_ids', 'runtime_config_ids'] as const) {
    const ids = parsed[key];
    if (!Array.isArray(ids)) continue;
    for (const id of ids) {
      if (!known.has(Number(id))) {
        return directorError(400, 190025, `Config with ID '${id}' not found. It may have been removed.`);
      }
    }
  }
  return null;
}

function deploy(ctx: RequestContext): SimResponse {
  const access = ctx.access!;
  if (!access.canCreateDeployment()) return access.forbidden('admin');
  const check = checkManifest(ctx.body.toString('utf8'));
  if (!check.ok) return directorError(400, check.code, check.description);
  const existing = ctx.core.state.deployments.get(check.name);
  if (existing && !access.canAdmin(existing.teams)) return access.forbidden('admin', existing.teams);
  const q = ctx.query;
  if (q.has('recreate_vms_created_before') && q.get('recreate') !== 'true') {
    return directorError(400, 40005, "'recreate_vms_created_before' requires 'recreate' to be true");
  }
  const contextProblem = checkContext(ctx);
  if (contextProblem) return contextProblem;
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
  });
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

function getManifest(ctx: RequestContext, name: string): SimResponse {
  const g = guardDeployment(ctx, name, 'read');
  if ('error' in g) return g.error;
  return json(200, { manifest: g.d.manifest });
}

function deleteDeployment(ctx: RequestContext, name: string): SimResponse {
  const g = guardDeployment(ctx, name, 'admin');
  if ('error' in g) return g.error;
  const task = ctx.core.operations.deleteDeployment(name, ctx.access!.identity.username, ctx.contextId);
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

export function registerDeployments(router: Router): void {
  router
    .add('GET', '/deployments', listDeployments)
    .add('POST', '/deployments', deploy, { consumes: 'text/yaml' })
    .add('GET', '/deployments/:name', (ctx, p) => getManifest(ctx, p.name!))
    .add('DELETE', '/deployments/:name', (ctx, p) => deleteDeployment(ctx, p.name!));
  registerDiff(router);
}
