/**
 * `GET /director/certificate_expiry` (`director_controller.rb`), scope `read`: the Director's own
 * certificates in the order of its rendered file, unset ones skipped, `days_left` floored.
 */
import { DIRECTOR_CERTIFICATES } from '../catalog.js';
import type { RequestContext } from '../http/context.js';
import { JSON_TYPE, json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isoSeconds } from '../wire.js';

const DAY_MS = 86_400_000;

function certificateExpiry(ctx: RequestContext): SimResponse {
  const now = ctx.core.clock.now();
  const start = ctx.core.state.startedAt;
  const list = DIRECTOR_CERTIFICATES.flatMap(([path, days]) => {
    if (days === null) return [];
    const expiry = start + days * DAY_MS;
    return [
      { certificate_path: path, expiry: isoSeconds(expiry), days_left: Math.floor((expiry - now) / DAY_MS) },
    ];
  });
  return json(200, list, JSON_TYPE);
}

export function registerDirector(router: Router): void {
  router.add('GET', '/director/certificate_expiry', certificateExpiry, { scope: 'read' });
}
