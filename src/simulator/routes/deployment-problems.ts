/**
 * The cloud-check part of `deployments_controller` (`:368-413`), all admin on d:
 * `POST .../scans`, `GET .../problems` (open problems by creation, labelled text/html),
 * `PUT .../problems` (JSON; always a task, a bad `resolutions` fails inside it) and
 * `PUT .../scan_and_fix` (JSON `{"jobs":{"<ig>":[<index>,...]}}`, what the resurrector sends).
 */
import type { RequestContext } from '../http/context.js';
import { directorError, json, redirectToTask, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { problemToWire } from '../jobs/cck.js';

function scan(ctx: RequestContext): SimResponse {
  const task = ctx.core.operations.scan(ctx.deployment!.name, ctx.access!.identity.username);
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

function problems(ctx: RequestContext): SimResponse {
  const open = ctx.core.state.problems
    .filter((p) => p.deployment === ctx.deployment!.name && p.state === 'open')
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  return json(200, open.map(problemToWire));
}

function apply(ctx: RequestContext): SimResponse {
  const payload = JSON.parse(ctx.body.toString('utf8')) as Record<string, unknown> | null;
  const task = ctx.core.operations.applyResolutions(
    ctx.deployment!.name,
    payload?.resolutions,
    ctx.access!.identity.username,
  );
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

function scanAndFix(ctx: RequestContext): SimResponse {
  const payload = JSON.parse(ctx.body.toString('utf8')) as { jobs?: unknown };
  if (typeof payload.jobs !== 'object' || payload.jobs === null) throw new Error('jobs missing');
  const jobs = Object.entries(payload.jobs as Record<string, unknown[]>).flatMap(([g, indexes]) =>
    indexes.map((i): [string, number] => [g, Number(i)]),
  );
  const d = ctx.deployment!;
  if (!d.instances.some((i) => !i.ignore)) {
    return directorError(
      404,
      70001,
      `No instances matched ${JSON.stringify({ deployment_id: d.name, ignore: false })}`,
    );
  }
  const task = ctx.core.operations.scanAndFix(d.name, jobs, ctx.access!.identity.username);
  return redirectToTask(ctx.scheme, ctx.host, task.id);
}

export function registerDeploymentProblems(router: Router): void {
  router
    .add('POST', '/deployments/:deployment/scans', scan, { deployment: 'admin' })
    .add('GET', '/deployments/:deployment/problems', problems, { deployment: 'admin' })
    .add('PUT', '/deployments/:deployment/problems', apply, {
      consumes: 'application/json',
      deployment: 'admin',
    })
    .add('PUT', '/deployments/:deployment/scan_and_fix', scanAndFix, {
      consumes: 'application/json',
      deployment: 'admin',
    });
}
