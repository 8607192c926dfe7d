/**
 * The control endpoint, under the reserved prefix `/_simulator/`. It exists only on the simulator
 * (a test double), needs no Director credentials, is never counted in the request log and never
 * sees injected faults, so tests can steer and inspect the simulator without disturbing what they
 * measure.
 *
 *   GET    /_simulator                  index: endpoints and seeded users
 *   GET    /_simulator/faults           current fault settings
 *   PUT    /_simulator/faults           merge a JSON object of settings (400 on unknown keys)
 *   DELETE /_simulator/faults           all faults off
 *   GET    /_simulator/requests         {count, bytes, summary, requests}; filters: method, path, pathPrefix, user, query
 *   POST   /_simulator/requests/reset   empty the request log (204)
 *   GET    /_simulator/clock            {now, iso, manual}
 *   POST   /_simulator/clock/advance    {"ms": N}, manual clock only (409 otherwise)
 */
import { type Clock, ManualClock } from './clock.js';
import { type Faults, validateFaults } from './faults.js';
import { empty, JSON_TYPE, json, type SimResponse } from './http/response.js';
import type { RequestFilter, RequestLog } from './request-log.js';
import { SEEDED_USERS } from './users.js';

export interface ControlHandler {
  handle(method: string, rawPath: string, query: URLSearchParams, body: Buffer): Promise<SimResponse>;
}

function problem(status: number, error: string): SimResponse {
  return json(status, { error }, JSON_TYPE);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8') || '{}') };
  } catch {
    return { ok: false };
  }
}

const ENDPOINTS = [
  'GET /_simulator/faults',
  'PUT /_simulator/faults',
  'DELETE /_simulator/faults',
  'GET /_simulator/requests',
  'POST /_simulator/requests/reset',
  'GET /_simulator/clock',
  'POST /_simulator/clock/advance',
];

export function createControl(faults: Faults, log: RequestLog, clock: Clock): ControlHandler {
  return {
    async handle(method, rawPath, query, body) {
      const path = rawPath.replace(/\/+$/, '');
      const route = `${method} ${path}`;
      switch (route) {
        case 'GET /_simulator':
          return json(200, { endpoints: ENDPOINTS, users: Object.values(SEEDED_USERS) }, JSON_TYPE);
        case 'GET /_simulator/faults':
          return json(200, faults.get(), JSON_TYPE);
        case 'PUT /_simulator/faults': {
          const parsed = parseJson(body);
          if (!parsed.ok) return problem(400, 'body must be JSON');
          const problems = validateFaults(parsed.value);
          if (problems.length > 0) return problem(400, problems.join('; '));
          return json(200, faults.set(parsed.value as object), JSON_TYPE);
        }
        case 'DELETE /_simulator/faults':
          faults.clear();
          return json(200, faults.get(), JSON_TYPE);
        case 'GET /_simulator/requests': {
          const filter: RequestFilter = {};
          for (const key of ['method', 'path', 'pathPrefix', 'user', 'query'] as const) {
            const v = query.get(key);
            if (v !== null) filter[key] = v;
          }
          return json(
            200,
            {
              count: log.count(filter),
              bytes: log.bytes(filter),
              summary: log.summary(filter),
              requests: log.list(filter),
            },
            JSON_TYPE,
          );
        }
        case 'POST /_simulator/requests/reset':
          log.reset();
          return empty(204);
        case 'GET /_simulator/clock':
          return json(
            200,
            {
              now: clock.now(),
              iso: new Date(clock.now()).toISOString(),
              manual: clock instanceof ManualClock,
            },
            JSON_TYPE,
          );
        case 'POST /_simulator/clock/advance': {
          if (!(clock instanceof ManualClock))
            return problem(409, 'the clock is real time; only a manual clock advances');
          const parsed = parseJson(body);
          const ms = parsed.ok ? (parsed.value as { ms?: unknown }).ms : undefined;
          if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
            return problem(400, 'body must be {"ms": <number >= 0>}');
          await clock.advance(ms);
          return json(
            200,
            { now: clock.now(), iso: new Date(clock.now()).toISOString(), manual: true },
            JSON_TYPE,
          );
        }
        default:
          return problem(404, `no control endpoint ${route}; see GET /_simulator`);
      }
    },
  };
}
