/**
 * Writers for a task's outputs. The event log is one JSON object per line, appended record by
 * record (a real Director appends each record with one SQL update), so a client tailing with
 * `Range: bytes=N-` sees it grow and only ever sees whole lines... in the stored text; chunk
 * boundaries of a ranged read may still fall mid-line. Every line must be valid JSON: bosh-cli
 * panics on a line it cannot decode.
 *
 * Record shapes (key order as real Directors write them):
 *  - stage progress: time, stage, tags, total, task, index, state, progress, data?
 *  - error: time, error {code, message}
 *  - warning / deprecation: time, type, message
 */

export type StageState = 'started' | 'in_progress' | 'finished' | 'failed';

export class EventWriter {
  constructor(
    private readonly append: (line: string) => void,
    private readonly nowMs: () => number,
  ) {}

  private time(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  stageRecord(
    stage: string,
    tags: string[],
    total: number | null,
    task: string,
    index: number,
    state: StageState,
    progress: number,
    data?: { status?: string; error?: string },
  ): void {
    const record: Record<string, unknown> = {
      time: this.time(),
      stage,
      tags,
      total,
      task,
      index,
      state,
      progress,
    };
    if (data) record.data = data;
    this.append(`${JSON.stringify(record)}\n`);
  }

  error(code: number, message: string): void {
    this.append(`${JSON.stringify({ time: this.time(), error: { code, message } })}\n`);
  }

  warning(message: string): void {
    this.append(`${JSON.stringify({ time: this.time(), type: 'warning', message })}\n`);
  }

  deprecation(message: string): void {
    this.append(`${JSON.stringify({ time: this.time(), type: 'deprecation', message })}\n`);
  }

  /** Opens a stage; its tasks get 1-based indexes in the order they start. */
  stage(name: string, tags: string[], total: number | null): Stage {
    return new Stage(this, name, tags, total);
  }
}

export class Stage {
  private started = 0;

  constructor(
    private readonly log: EventWriter,
    readonly name: string,
    private readonly tags: string[],
    private readonly total: number | null,
  ) {}

  start(task: string): StageTask {
    this.started += 1;
    const t = new StageTask((state, progress, data) =>
      this.log.stageRecord(this.name, this.tags, this.total, task, t.index, state, progress, data),
    );
    t.index = this.started;
    t.report('started', 0);
    return t;
  }
}

export class StageTask {
  index = 0;

  constructor(
    readonly report: (
      state: StageState,
      progress: number,
      data?: { status?: string; error?: string },
    ) => void,
  ) {}

  /** An `in_progress` record; `progress` is the task's percentage so far. */
  progress(status: string, progress: number): void {
    this.report('in_progress', Math.max(0, Math.min(99, Math.round(progress))), { status });
  }

  finish(): void {
    this.report('finished', 100);
  }

  fail(error: string): void {
    this.report('failed', 100, { error });
  }
}

/** Two-digit zero padding for the Ruby Logger timestamp. */
function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * One debug-log line in the Ruby Logger layout the Director uses, e.g.
 * `I, [2026-01-15T10:00:00.000000 #4242] [task:7]  INFO -- DirectorJobRunner: Starting task: 7`.
 */
export function debugLine(
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
  timeMs: number,
  tag: string,
  component: string,
  message: string,
): string {
  const d = new Date(timeMs);
  const stamp =
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
  const pid = tag === '' ? 4242 : 4343;
  return `${level[0]}, [${stamp} #${pid}] [${tag}] ${level.padStart(5)} -- ${component}: ${message}\n`;
}
