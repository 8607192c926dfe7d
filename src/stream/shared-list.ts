/**
 * A list feed shared by the replicas (docs/task-stream.md section 13.7): a `runningTasks` list
 * (lane `running:<caller hash>|<deployment>`) or the audit feed's new events (lane
 * `audit:<caller hash>|<deployment>`). The replica holding the lane's lease reads the Director and
 * appends what it read to the lane's stream; the others take it from there. The key names a hash
 * of the credentials, never the credentials, and only subscribers with those same credentials
 * share it, as in one process. While Redis is away each replica reads the Director itself.
 */
import type { RedisLink } from './redis-link.js';
import type { StreamSettings } from './settings.js';
import { Lane, leaseTtl } from './shared-lane.js';

export class ListShare<T> {
  private readonly lane: Lane;

  constructor(
    private readonly link: RedisLink,
    /** The lane's name: `running:…` or `audit:…`. */
    lane: string,
    apply: (items: T) => void,
  ) {
    this.lane = new Lane(
      0,
      undefined,
      link,
      (record) => {
        if (record.k === 'r') apply(record.items as T);
      },
      lane,
    );
    link.follow(this.lane);
  }

  /** True while another replica reads the Director for this one. */
  get following(): boolean {
    return this.link.up && this.lane.role === 'follower';
  }

  /**
   * Whether this replica reads the Director this round: it holds the lease, or Redis is away (it then
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

  /** Appends what was read, if this replica still holds the lease. */
  async publish(items: T, settings: StreamSettings): Promise<void> {
    if (this.lane.role !== 'holder') return;
    const record = JSON.stringify({ k: 'r', items });
    await this.lane.append(leaseTtl(settings), 10, [[-1, record]]).catch(() => false);
  }

  close(): void {
    this.lane.stop();
    this.link.unfollow(this.lane);
    void this.lane.letGo();
  }
}
