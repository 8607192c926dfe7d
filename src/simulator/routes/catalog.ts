/**
 * `GET /stemcells` and `GET /releases` (the Director's stemcells and releases controllers): both
 * visible in full to anyone who may list them, team admins included.
 */
import type { RequestContext } from '../http/context.js';
import { json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { releaseToWire, stemcellToWire } from '../wire.js';

function stemcells(ctx: RequestContext): SimResponse {
  const { state } = ctx.core;
  const sorted = [...state.stemcells].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id,
  );
  return json(
    200,
    sorted.map((s) => stemcellToWire(s, state)),
  );
}

function releases(ctx: RequestContext): SimResponse {
  const { state } = ctx.core;
  const sorted = [...state.releases.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  return json(
    200,
    sorted.map((r) => releaseToWire(r, state)),
  );
}

export function registerCatalog(router: Router): void {
  router
    .add('GET', '/stemcells', stemcells, { scope: 'read_stemcells' })
    .add('GET', '/releases', releases, { scope: 'read_releases' });
}
