/**
 * The fleet of replicas sharing their task pollers through Redis (docs/task-stream.md section
 * 13). While Redis answers, one replica polls each followed output of a task for the whole fleet;
 * while it does not, each replica polls alone for its own subscribers, says so once in its log,
 * and `/ready` shows it. Task streams, `runningTasks` lists and the audit feed are all shared
 * (section 13.7).
 */
import type { Fleet, FleetStatus, SourceHooks, TaskSource } from './fleet.js';
import { RedisLink } from './redis-link.js';
import type { StreamSettings } from './settings.js';
import { ListShare } from './shared-list.js';
import { SharedTaskPoller } from './shared-poller.js';

export interface RedisFleetOptions {
  url: string;
  /** Every key starts with it: one prefix per Director. */
  prefix: string;
  /** Log lines (the CLI's console). @default console.log / console.error */
  log?: (line: string, problem: boolean) => void;
}

export class RedisFleet implements Fleet {
  readonly link: RedisLink;
  private connectedOnce = false;
  private readonly pollers = new Set<SharedTaskPoller>();

  constructor(options: RedisFleetOptions) {
    const log =
      options.log ??
      ((line: string, problem: boolean) => (problem ? console.error(line) : console.log(line)));
    this.link = new RedisLink({
      url: options.url,
      prefix: options.prefix,
      onState: (up, where) => {
        if (up) {
          log(
            this.connectedOnce
              ? `bosh-graphql: Redis at ${where} is back: task pollers are shared across replicas again.`
              : `bosh-graphql: sharing task pollers across replicas through Redis at ${where} (replica ${this.link.replica}).`,
            false,
          );
          this.connectedOnce = true;
        } else {
          log(
            `bosh-graphql: Redis at ${where} does not answer: this replica polls the Director alone for its subscribers until it does.`,
            true,
          );
        }
      },
    });
  }

  status(): FleetStatus {
    if (this.link.up) return { mode: 'shared' };
    return {
      mode: 'alone',
      message: 'Redis does not answer: this replica polls the Director alone for its own subscribers.',
    };
  }

  taskSource(taskId: number, settings: StreamSettings, hooks: SourceHooks): TaskSource {
    const poller = new SharedTaskPoller(
      taskId,
      settings,
      {
        ...hooks,
        onIdle: (idle) => {
          this.pollers.delete(poller);
          hooks.onIdle(idle);
        },
      },
      this.link,
    );
    this.pollers.add(poller);
    return poller;
  }

  listShare<T>(lane: string, apply: (items: T) => void): ListShare<T> {
    return new ListShare<T>(this.link, lane, apply);
  }

  /** The leases this replica holds now: the lanes it polls the Director for, for the fleet. */
  leasesHeld(): number {
    let held = 0;
    for (const poller of this.pollers) held += poller.leasesHeld();
    return held;
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
