/**
 * The task engine. A task is a generator ("job") that writes its outputs and yields whenever it
 * would take time; the engine resumes it on the clock. Between steps the engine checks for
 * cancellation, which is how a real Director's `task_checkpoint` behaves: cancelling is
 * cooperative and takes effect at the next step, not at the request.
 *
 * A job yields:
 *  - a number (or nothing): wait that many ticks (default 1) of `tickMs`;
 *  - `{ lock: deployment }`: take the deployment's lock, waiting up to `lockWaitMs` (or
 *    `timeoutMs`) for another task to release it, then failing with the Director's generic code
 *    100 (its lock timeout is not a Director error class, so it is reported as a generic one).
 *    Taking and releasing a lock write the `acquire` and `release` audit events (`lock.rb`).
 */
import type { NewAuditEvent } from './audit.js';
import type { Clock, Timer } from './clock.js';
import { debugLine, EventWriter } from './events.js';
import type { Rng } from './rng.js';
import { deploymentLock, type SimState } from './state.js';
import { type Task, type TaskType, TERMINAL_STATES } from './types.js';

export const DIRECTOR_VERSION = '282.1.2';

/** A failure with a Director error code; it ends the task in `error` with an error record. */
export class TaskFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

export type JobStep = number | { lock: string; timeoutMs?: number } | undefined;
export type Job = Generator<JobStep, string, void>;

export interface JobContext {
  readonly task: Task;
  readonly state: SimState;
  readonly rng: Rng;
  now(): number;
  readonly events: EventWriter;
  debug(message: string, level?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'): void;
  /** Appends one line to the CPI log (creating it: before the first call it does not exist). */
  cpi(line: string): void;
  /** Appends raw text to the result output. */
  result(text: string): void;
  /**
   * Why the engine is ending the job from outside (a cancellation, a lock that never came), set
   * just before the job's `finally` blocks run, so they can write end events with the error.
   */
  stopReason?: string;
  /** Records an audit event as this task (its user, its id, the clock's time); returns its id. */
  audit(event: Omit<NewAuditEvent, 'user'> & { user?: string }): number;
}

export interface NewTask {
  type: TaskType;
  description: string;
  user: string;
  deployment: string | null;
  contextId: string;
  teams: string[];
}

export interface EngineOptions {
  /** Clock time between job steps. */
  tickMs: number;
  /** How long a task waits for a busy deployment lock before failing. */
  lockWaitMs: number;
}

interface Running {
  task: Task;
  job?: Job;
  ctx: JobContext;
  timer?: Timer;
  pendingLock?: { deployment: string; uid: string; since: number; timeoutMs: number };
}

/**
 * The Director stores `result` as the message stripped and cut to about 128 characters, without
 * splitting a word, plus "..." (its job runner's `truncate`).
 */
export function truncateResult(text: string, length = 128): string {
  const stripped = text.trim().slice(0, length + 1);
  if (stripped.length > length) return `${stripped.replace(/\s+?(\S+)?$/, '')}...`;
  return stripped;
}

/** Ends an abandoned job so its `finally` blocks (cleanup) run. */
function closeJob(run: Running): void {
  try {
    run.job?.return('');
  } catch {
    // A job's cleanup must not break the engine.
  }
}

export class TaskEngine {
  private readonly running = new Map<number, Running>();
  private readonly waiters = new Map<number, ((task: Task) => void)[]>();

  constructor(
    private readonly state: SimState,
    /** Swappable so seeding can replay history on a private clock set in the past. */
    public clock: Clock,
    options: EngineOptions,
  ) {
    // A copy: seeding changes the tick temporarily.
    this.options = { ...options };
  }

  private readonly options: EngineOptions;

  get tickMs(): number {
    return this.options.tickMs;
  }

  setTickMs(ms: number): void {
    this.options.tickMs = ms;
  }

  enqueue(spec: NewTask, makeJob: (ctx: JobContext) => Job): Task {
    const id = this.state.nextTaskId();
    const now = this.clock.now();
    const task: Task = {
      id,
      ...spec,
      state: 'queued',
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      result: null,
      eventOutput: '',
      resultOutput: '',
      debugOutput: '',
      cpiOutput: null,
    };
    this.state.tasks.set(id, task);
    const ctx = this.context(task);
    // The Director creates the debug log at enqueue time with these two lines.
    task.debugOutput += debugLine('INFO', now, '', 'TaskHelper', `Director Version: ${DIRECTOR_VERSION}`);
    task.debugOutput += debugLine('INFO', now, '', 'TaskHelper', `Enqueuing task: ${id}`);
    const run: Running = { task, ctx };
    this.running.set(id, run);
    run.timer = this.clock.setTimer(this.options.tickMs, () => this.begin(run, makeJob));
    return task;
  }

  /** Marks a queued or processing task `cancelling`; false when its state does not allow it. */
  cancel(id: number): boolean {
    const task = this.state.tasks.get(id);
    if (!task || (task.state !== 'queued' && task.state !== 'processing')) return false;
    task.state = 'cancelling';
    return true;
  }

  /** Resolves when the task reaches a terminal state (at once if it already has). */
  wait(id: number): Promise<Task> {
    const task = this.state.tasks.get(id);
    if (!task) return Promise.reject(new Error(`no task ${id}`));
    if (TERMINAL_STATES.has(task.state)) return Promise.resolve(task);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  /** Number of tasks not yet finished. */
  activeCount(): number {
    return this.running.size;
  }

  stop(): void {
    for (const run of this.running.values()) run.timer?.cancel();
    this.running.clear();
  }

  private context(task: Task): JobContext {
    const now = () => this.clock.now();
    return {
      task,
      state: this.state,
      rng: this.state.rng,
      now,
      events: new EventWriter((line) => {
        task.eventOutput += line;
      }, now),
      debug: (message, level = 'DEBUG') => {
        task.debugOutput += debugLine(level, now(), `task:${task.id}`, 'DirectorJobRunner', message);
      },
      cpi: (line) => {
        task.cpiOutput = `${task.cpiOutput ?? ''}${line}\n`;
      },
      result: (text) => {
        task.resultOutput += text;
      },
      audit: (event) =>
        this.state.audit.record({ user: task.user, task: String(task.id), ...event }, this.clock.now()).id,
    };
  }

  private begin(run: Running, makeJob: (ctx: JobContext) => Job): void {
    const { task, ctx } = run;
    if (task.state === 'cancelling') {
      // A task cancelled while queued ends when a worker dequeues it, without running.
      this.finish(run, 'cancelled', 'task cancelled');
      return;
    }
    task.state = 'processing';
    task.startedAt = this.clock.now();
    ctx.debug(`Starting task: ${task.id}`, 'INFO');
    ctx.debug('Creating job', 'INFO');
    ctx.debug(`Performing task: ${task.description}`, 'INFO');
    run.job = makeJob(ctx);
    this.step(run);
  }

  private step(run: Running): void {
    const { task } = run;
    for (;;) {
      if (task.state === 'cancelling') {
        // The checkpoint: the job stops here and the runner records the cancellation.
        run.ctx.stopReason = `Task ${task.id} cancelled`;
        closeJob(run);
        run.ctx.events.error(10001, `Task ${task.id} cancelled`);
        run.ctx.debug(`Task ${task.id} cancelled`, 'INFO');
        this.finish(run, 'cancelled', 'task cancelled');
        return;
      }
      if (run.pendingLock) {
        if (!this.tryLock(run)) return;
        continue;
      }
      let next: IteratorResult<JobStep, string>;
      try {
        next = run.job!.next();
      } catch (err) {
        this.fail(run, err);
        return;
      }
      if (next.done) {
        run.ctx.debug(`Task ${task.id} done`, 'INFO');
        this.finish(run, 'done', truncateResult(next.value));
        return;
      }
      const step = next.value;
      if (typeof step === 'object') {
        run.pendingLock = {
          deployment: step.lock,
          uid: this.state.rng.uuid(),
          since: this.clock.now(),
          timeoutMs: step.timeoutMs ?? this.options.lockWaitMs,
        };
        run.ctx.debug(`Acquiring lock: ${deploymentLock(step.lock)}`);
        continue;
      }
      run.timer = this.clock.setTimer((step ?? 1) * this.options.tickMs, () => this.step(run));
      return;
    }
  }

  /** True when the lock is ours now; otherwise a retry is scheduled (or the task has failed). */
  private tryLock(run: Running): boolean {
    const pending = run.pendingLock!;
    const name = deploymentLock(pending.deployment);
    const holder = this.state.locks.get(name);
    if (!holder || holder.taskId === run.task.id) {
      this.state.locks.set(name, {
        name,
        taskId: run.task.id,
        uid: pending.uid,
        acquiredAt: this.clock.now(),
        deployment: pending.deployment,
      });
      run.ctx.debug(`Acquired lock: ${name}`);
      run.ctx.audit({
        action: 'acquire',
        objectType: 'lock',
        objectName: name,
        deployment: pending.deployment,
      });
      run.pendingLock = undefined;
      return true;
    }
    const waited = this.clock.now() - pending.since;
    if (waited >= pending.timeoutMs) {
      const locking = this.state.tasks.get(holder.taskId);
      this.fail(
        run,
        new TaskFailure(
          100,
          `Failed to acquire lock for ${name} uid: ${pending.uid}. ` +
            `Locking task id is ${holder.taskId}, description: '${locking?.description ?? ''}'`,
        ),
      );
      return false;
    }
    const delay = Math.min(this.options.tickMs, pending.timeoutMs - waited);
    run.timer = this.clock.setTimer(delay, () => this.step(run));
    return false;
  }

  private fail(run: Running, err: unknown): void {
    const code = err instanceof TaskFailure ? err.code : 100;
    const message = err instanceof Error ? err.message : String(err);
    run.ctx.stopReason = message;
    closeJob(run);
    run.ctx.events.error(code, message);
    run.ctx.debug(`${err instanceof Error ? err.name : 'Error'} - ${message}`, 'ERROR');
    this.finish(run, 'error', truncateResult(message));
  }

  private finish(run: Running, state: 'done' | 'error' | 'cancelled', result: string): void {
    const { task } = run;
    run.timer?.cancel();
    task.state = state;
    task.result = result;
    task.finishedAt = this.clock.now();
    for (const [name, lock] of this.state.locks) {
      if (lock.taskId === task.id) {
        this.state.locks.delete(name);
        run.ctx.debug(`Deleted lock: ${name} uid: ${lock.uid}`);
        run.ctx.audit({
          action: 'release',
          objectType: 'lock',
          objectName: name,
          deployment: lock.deployment,
        });
      }
    }
    this.running.delete(task.id);
    const waiting = this.waiters.get(task.id) ?? [];
    this.waiters.delete(task.id);
    for (const resolve of waiting) resolve(task);
  }
}
