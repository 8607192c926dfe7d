/** The dashboard's deploy progress model (examples/dashboard/src/stages.ts). */
import { describe, expect, it } from 'vitest';
import { DeployProgress, stageProgress, type TaskEvent } from '../../examples/dashboard/src/stages.js';

const TIME = '2026-01-15T10:00:00Z';

function step(
  stage: string,
  tags: string[],
  index: number,
  total: number,
  state: 'STARTED' | 'IN_PROGRESS' | 'FINISHED' | 'FAILED',
  progress: number,
  error: string | null = null,
): TaskEvent {
  return {
    __typename: 'TaskStageEvent',
    time: TIME,
    stage,
    tags,
    total,
    task: `step ${index}`,
    index,
    state,
    progress,
    error,
  };
}

describe('DeployProgress', () => {
  it('keeps one stage per stage name and tags, in the order they started', () => {
    const p = new DeployProgress();
    p.apply(step('Preparing deployment', [], 1, 1, 'STARTED', 0));
    p.apply(step('Updating instance', ['web'], 1, 2, 'STARTED', 0));
    p.apply(step('Updating instance', ['worker'], 1, 1, 'STARTED', 0));
    p.apply(step('Updating instance', ['web'], 2, 2, 'STARTED', 0));
    expect(p.stages.map((s) => s.label)).toEqual([
      'Preparing deployment',
      'Updating instance (web)',
      'Updating instance (worker)',
    ]);
  });

  it("moves a stage's bar with each step's progress over the stage's total, to 100 only when all finished", () => {
    const p = new DeployProgress();
    p.apply(step('Updating instance', ['web'], 1, 2, 'STARTED', 0));
    const web = p.stages[0]!;
    expect(stageProgress(web)).toBe(0);
    p.apply(step('Updating instance', ['web'], 1, 2, 'IN_PROGRESS', 50));
    expect(stageProgress(web)).toBe(25);
    p.apply(step('Updating instance', ['web'], 1, 2, 'FINISHED', 100));
    expect(stageProgress(web)).toBe(50);
    p.apply(step('Updating instance', ['web'], 2, 2, 'IN_PROGRESS', 80));
    expect(stageProgress(web)).toBe(90);
    p.apply(step('Updating instance', ['web'], 2, 2, 'FINISHED', 100));
    expect(stageProgress(web)).toBe(100);
  });

  it('logs every event, with errors, failed steps, warnings and deprecations at their own level', () => {
    const p = new DeployProgress();
    p.apply(step('Updating instance', ['web'], 1, 1, 'FAILED', 40, 'pre-start failed'));
    p.apply({ __typename: 'TaskWarningEvent', time: TIME, message: 'instance ignored' });
    p.apply({ __typename: 'TaskDeprecationEvent', time: TIME, message: 'old property' });
    p.apply({ __typename: 'TaskErrorEvent', time: TIME, code: 450001, message: 'canary failed' });
    expect(p.log.map((e) => [e.level, e.text])).toEqual([
      ['error', 'Updating instance (web) 1/1: step 1 failed: pre-start failed'],
      ['warning', 'Warning: instance ignored'],
      ['deprecation', 'Deprecation: old property'],
      ['error', 'Error 450001: canary failed'],
    ]);
  });
});
