/**
 * Start and end audit events around a piece of a job, the way the Director writes them: the end
 * event's `parent_id` points to the start event, and it carries `error` when the work failed,
 * including when the engine ended the job from outside (a cancellation writes `Task N cancelled`,
 * the message of the error the Director's checkpoint raises).
 */
import type { NewAuditEvent } from '../audit.js';
import type { JobContext, JobStep } from '../tasks.js';

export type AuditFields = Omit<NewAuditEvent, 'user' | 'parentId' | 'error'>;

/**
 * Runs `body` between a start event (written when `eager`, else just before the end one, as the
 * Director's deploy does with its lazily created parent) and an end event.
 */
export function* audited<T>(
  ctx: JobContext,
  fields: AuditFields,
  body: Generator<JobStep, T, void>,
  options: { eager?: boolean; endContext?: () => Record<string, unknown> } = {},
): Generator<JobStep, T, void> {
  let parentId = options.eager ? ctx.audit(fields) : null;
  let done = false;
  let error: string | undefined;
  try {
    const value = yield* body;
    done = true;
    return value;
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    parentId ??= ctx.audit(fields);
    ctx.audit({
      ...fields,
      parentId,
      error: done ? null : (error ?? ctx.stopReason ?? null),
      context: options.endContext?.() ?? fields.context ?? {},
    });
  }
}

/** `<ig>/<uuid>`, how events and results name an instance. */
export function instanceName(i: { group: string; id: string }): string {
  return `${i.group}/${i.id}`;
}
