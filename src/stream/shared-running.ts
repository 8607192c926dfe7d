/**
 * A `runningTasks` list shared by the replicas (docs/task-stream.md section 13.7): the replica
 * holding the lease of `running:<caller hash>|<deployment>` reads the list and appends it to the
 * lane's stream; the others take it from there. The key names a hash of the credentials, never
 * the credentials, and only subscribers with those same credentials share it, as in one process.
 * While Redis is away each replica reads the list itself.
 */
import type { WireTask } from '../director/types.js';
import type { RedisLink } from './redis-link.js';
import type { StreamSettings } from './settings.js';
import { Lane, leaseTtl } from './shared-lane.js';

export class RunningShare {
  private readonly lane: Lane;

  constructor(
    private readonly link: RedisLink,
    key: string,
    apply: (tasks: WireTask[]) => void,
  ) {
    this.lane = new Lane(
      0,
      undefined,
      link,
      (record) => {
        if (record.k === 'r') apply(record.tasks);
      },
      `running:${key}`,
    );
    link.follow(this.lane);
  }

  /** True while another replica reads the list for this one. */
  get following(): boolean {
    return this.link.up && this.lane.role === 'follower';
  }

  /**
   * Whether this replica reads the list this round: it holds the lease, or Redis is away (it then
   * reads alone). A Redis failure midway counts as away.
   */
  async mayRead(settings: StreamSettings): Promise<boolean> {
    if (!this.link.up) {
      this.lane.role = 'alone';
      return true;
    }
    try {
      const held = await this.lane.claim(leaseTtl(settings));
      if (held) this.lane.role = 'holder';
      return held;
    } catch {
      this.lane.role = 'alone';
      return true;
    }
  }

  /** Appends the list read, if this replica still holds the lease. */
  async publish(tasks: WireTask[], settings: StreamSettings): Promise<void> {
    if (this.lane.role !== 'holder') return;
    const record = JSON.stringify({ k: 'r', tasks });
    await this.lane.append(leaseTtl(settings), 10, [[-1, record]]).catch(() => false);
  }

  close(): void {
    this.lane.stop();
    this.link.unfollow(this.lane);
    void this.lane.letGo();
  }
}
