/**
 * The UAA endpoints served beside the Director in UAA mode: `POST /oauth/token` and the prompts
 * document `GET /login` that bosh-cli reads before `bosh log-in`.
 */
import { header } from '../http/context.js';
import { json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { handleTokenRequest } from '../uaa.js';

const UAA_JSON = 'application/json;charset=UTF-8';

export function registerUaa(router: Router): void {
  router.add(
    'POST',
    '/oauth/token',
    (ctx) => {
      const form = new URLSearchParams(ctx.body.toString('utf8'));
      const result = handleTokenRequest(ctx.core.issuer, header(ctx, 'authorization'), form);
      if (result.ok) {
        const r = json(200, result.token, UAA_JSON);
        r.headers['Cache-Control'] = 'no-store';
        return r;
      }
      const r: SimResponse = json(
        result.status,
        { error: result.error, error_description: result.description },
        UAA_JSON,
      );
      if (result.status === 401) {
        r.headers['WWW-Authenticate'] =
          `Basic realm="UAA/client", error="${result.error}", error_description="${result.description}"`;
      }
      return r;
    },
    { public: true },
  );
  router.add(
    'GET',
    '/login',
    () =>
      json(
        200,
        {
          app: { version: '77.20.0' },
          zone_name: 'uaa',
          prompts: { username: ['text', 'Username'], password: ['password', 'Password'] },
        },
        UAA_JSON,
      ),
    { public: true },
  );
}
