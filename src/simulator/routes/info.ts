/**
 * `GET /info`, the one Director route without authentication. Credentials may still be sent:
 * valid ones fill `user`, invalid ones just leave it null (never a 401).
 */
import { DIRECTOR_STEMCELL_VERSION, STEMCELL_OS } from '../catalog.js';
import { JSON_TYPE, json } from '../http/response.js';
import type { Router } from '../http/router.js';
import { DIRECTOR_VERSION } from '../tasks.js';

export function registerInfo(router: Router): void {
  router.add(
    'GET',
    '/info',
    (ctx) => {
      const { core } = ctx;
      const url = core.url();
      return json(
        200,
        {
          name: core.state.name,
          uuid: core.state.uuid,
          version: `${DIRECTOR_VERSION} (00000000)`,
          user: ctx.identity?.username ?? null,
          cpi: 'warden_cpi',
          stemcell_os: STEMCELL_OS,
          stemcell_version: DIRECTOR_STEMCELL_VERSION,
          user_authentication:
            core.authMode === 'uaa'
              ? { type: 'uaa', options: { url, urls: [url] } }
              : { type: 'basic', options: {} },
          features: {
            local_dns: { status: true, extras: { domain_name: 'bosh' } },
            snapshots: { status: false },
            // The deployments' variables come from a (simulated) config server beside the Director.
            config_server: { status: true, extras: { urls: ['https://127.0.0.1:8844/api/'] } },
          },
        },
        JSON_TYPE,
      );
    },
    { public: true },
  );
}
