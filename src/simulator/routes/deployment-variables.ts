/**
 * `GET /deployments/{d}/variables` (admin on d: `[{id, name}]`, every kept variable set,
 * de-duplicated) and `GET /deployments/{d}/certificate_expiry` (read on d: the variables whose
 * value is a certificate, with `days_left` floored, negative once expired).
 */
import type { RequestContext } from '../http/context.js';
import { json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isoSeconds } from '../wire.js';

const DAY_MS = 86_400_000;

function variables(ctx: RequestContext): SimResponse {
  return json(
    200,
    (ctx.deployment!.variables ?? []).map((v) => ({ id: v.id, name: v.name })),
  );
}

function certificates(ctx: RequestContext): SimResponse {
  const now = ctx.core.clock.now();
  const certs = (ctx.deployment!.variables ?? []).filter((v) => v.certificateExpiry !== undefined);
  return json(
    200,
    certs.map((v) => ({
      name: v.name,
      id: v.id,
      expiry_date: isoSeconds(v.certificateExpiry!),
      days_left: Math.floor((v.certificateExpiry! - now) / DAY_MS),
    })),
  );
}

export function registerDeploymentVariables(router: Router): void {
  router
    .add('GET', '/deployments/:deployment/variables', variables, { deployment: 'admin' })
    .add('GET', '/deployments/:deployment/certificate_expiry', certificates, { deployment: 'read' });
}
