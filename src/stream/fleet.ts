/**
 * Where a replica's task pollers get their records (docs/task-stream.md section 13). The local
 * fleet is one process polling on its own: every subscriber of a task shares that process's one
 * TaskPoller. The Redis fleet (redis-fleet.ts) shares one poller per task across every replica.
 */
import type { WireTask } from '../director/types.js';
import type { StreamError } from './errors.js';
import type { StreamSettings } from './settings.js';
import type { ListShare } from './shared-list.js';
import type { ChangeSignal } from './signal.js';
import { type OutputChannel, type PollerSubscriber, TaskPoller } from './task-poller.js';

/** What subscribers of one task pull from, whoever polls the Director for it. */
export interface TaskSource {
  readonly taskId: number;
  /** The task as last seen: states only move forward. */
  readonly task: WireTask | undefined;
  /** Set when the stream failed for every subscriber. */
  readonly failure: StreamError | undefined;
  readonly changed: ChangeSignal;
  /** When each caller identity last re-read this task (section 1.1). */
  readonly rechecks: Map<string, number>;
  readonly stopped: boolean;
  readonly subscriberCount: number;
  attach(subscriber: PollerSubscriber): OutputChannel | undefined;
  detach(subscriber: PollerSubscriber): void;
  stop(): void;
  observe(task: WireTask): void;
}

export interface SourceHooks {
  onIdle(source: TaskSource): void;
  onPoll?(kind: 'task' | 'output'): void;
}

/** How this replica polls: alone (`local`), with the fleet (`shared`), or alone for now (`alone`). */
export type FleetMode = 'local' | 'shared' | 'alone';

export interface FleetStatus {
  mode: FleetMode;
  /** One sentence for an operator when the mode is not the configured one. */
  message?: string;
}

export interface Fleet {
  status(): FleetStatus;
  /** Task lanes whose lease this replica holds (section 13.2); 0 for the local fleet. */
  leasesHeld(): number;
  taskSource(taskId: number, settings: StreamSettings, hooks: SourceHooks): TaskSource;
  /**
   * A list feed shared across replicas (section 13.7): lane `running:…` for a `runningTasks`
   * list, `audit:…` for the audit feed's new events. None for the local fleet.
   */
  listShare?<T>(lane: string, apply: (items: T) => void): ListShare<T>;
  close(): Promise<void>;
}

/** Today's behaviour: every poller lives in this process. */
export class LocalFleet implements Fleet {
  status(): FleetStatus {
    return { mode: 'local' };
  }

  leasesHeld(): number {
    return 0;
  }

  taskSource(taskId: number, settings: StreamSettings, hooks: SourceHooks): TaskSource {
    return new TaskPoller(taskId, settings, {
      onIdle: (poller) => hooks.onIdle(poller),
      ...(hooks.onPoll ? { onPoll: hooks.onPoll } : {}),
    });
  }

  async close(): Promise<void> {}
}
