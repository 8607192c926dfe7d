/**
 * A deploy's progress from its `taskEvents`: one entry per stage, with the progress of each of
 * its steps, and the event log. Pure data, no DOM, so it is tested on its own.
 *
 * BOSH writes a stage (`Updating instance`) once per set of tags (its instance group), with
 * `total` steps; each step reports its own `progress` (0 to 100) as it starts, moves and
 * finishes. A stage's progress is the mean of its steps' progress over `total`, steps not yet
 * seen counting 0, so a bar moves with every step and reaches 100 % only when all have finished.
 */
import type { TaskEventsSubscription } from './gql/graphql.js';

export type TaskEvent = TaskEventsSubscription['taskEvents'];

export interface StageStep {
  task: string;
  progress: number;
  state: string;
  error: string | null;
}

export interface Stage {
  /** The stage and its tags: `Updating instance (router)`. */
  label: string;
  total: number;
  /** Steps by their 1-based index. */
  steps: Map<number, StageStep>;
}

export type LogLevel = 'info' | 'warning' | 'error' | 'deprecation';

export interface LogEntry {
  time: string;
  level: LogLevel;
  text: string;
}

export function stageProgress(stage: Stage): number {
  const total = Math.max(stage.total, stage.steps.size, 1);
  let sum = 0;
  for (const step of stage.steps.values()) sum += step.state === 'FINISHED' ? 100 : step.progress;
  return Math.floor(sum / total);
}

export class DeployProgress {
  /** In the order the task started them. */
  readonly stages: Stage[] = [];
  readonly log: LogEntry[] = [];
  private readonly byLabel = new Map<string, Stage>();

  apply(event: TaskEvent): void {
    switch (event.__typename) {
      case 'TaskStageEvent': {
        const label = event.tags.length > 0 ? `${event.stage} (${event.tags.join(', ')})` : event.stage;
        let stage = this.byLabel.get(label);
        if (!stage) {
          stage = { label, total: event.total ?? 1, steps: new Map() };
          this.byLabel.set(label, stage);
          this.stages.push(stage);
        }
        stage.total = Math.max(stage.total, event.total ?? 1);
        stage.steps.set(event.index, {
          task: event.task,
          progress: event.progress,
          state: event.state,
          error: event.error ?? null,
        });
        const where = `${label} ${event.index}/${event.total ?? '?'}: ${event.task}`;
        this.log.push({
          time: event.time,
          level: event.state === 'FAILED' ? 'error' : 'info',
          text: `${where} ${event.state.toLowerCase().replace('_', ' ')}${event.error ? `: ${event.error}` : ''}`,
        });
        break;
      }
      case 'TaskErrorEvent':
        this.log.push({ time: event.time, level: 'error', text: `Error ${event.code}: ${event.message}` });
        break;
      case 'TaskWarningEvent':
        this.log.push({ time: event.time, level: 'warning', text: `Warning: ${event.message}` });
        break;
      case 'TaskDeprecationEvent':
        this.log.push({ time: event.time, level: 'deprecation', text: `Deprecation: ${event.message}` });
        break;
    }
  }
}
