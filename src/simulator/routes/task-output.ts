/**
 * `GET /tasks/{id}/output?type=debug|cpi|event|result|none` (debug when omitted). Event and result
 * output are served from the stored text, debug and CPI logs as files (see http/range.ts). Event,
 * result and none need read on the task; debug and cpi need admin on it. Any other type is a 401
 * with 600000 "Unknown type <type>", odd as that is.
 */

import { header, type RequestContext } from '../http/context.js';
import { serveOutput } from '../http/range.js';
import { directorError, empty, type SimResponse, taskNotFound } from '../http/response.js';
import type { Router } from '../http/router.js';
import { findTask } from './tasks.js';

function output(ctx: RequestContext, id: string): SimResponse {
  const task = findTask(ctx, id);
  if (!task) return taskNotFound(id);
  const type = ctx.query.get('type') ?? 'debug';
  const access = ctx.access!;
  const range = header(ctx, 'range');
  switch (type) {
    case 'none':
    case 'event':
    case 'result':
      if (!access.canOn(task.teams, 'read')) return access.refuseOn(task.teams, 'read');
      if (type === 'none') return empty(204);
      return serveOutput(
        type === 'event' ? task.eventOutput : task.resultOutput,
        range,
        'db',
        ctx.ignoreRange,
      );
    case 'debug':
    case 'cpi': {
      if (!access.canOn(task.teams, 'admin')) return access.refuseOn(task.teams, 'admin');
      const content = type === 'debug' ? task.debugOutput : task.cpiOutput;
      // A log file that was never written answers 204.
      if (content === null) return empty(204);
      return serveOutput(content, range, 'file', ctx.ignoreRange);
    }
    default:
      return directorError(401, 600000, `Unknown type ${type}`);
  }
}

export function registerTaskOutput(router: Router): void {
  // The route's only condition is the task check, which finds the task first (404 if absent).
  router.add('GET', '/tasks/:id/output', (ctx, p) => output(ctx, p.id!), { scope: 'none' });
}
