/**
 * The hubs of the process, by sharing key (docs/task-stream.md section 11): the document, the
 * operation name, the variables and a hash of the credentials. Only hubs that late joiners can
 * still join are listed; the others serve the members they have and go.
 */
import type { ExecutionResult } from 'graphql';
import type { Hub } from './hub.js';

export interface FanoutStats {
  /** Client subscriptions reading a shared execution now. */
  clients: number;
  /** Shared executions (hubs) with at least one client. */
  executions: number;
}

export class FanoutRegistry {
  /**
   * @param prepare readies each shared result once for all its members, as the transports'
   * per-result hooks would have (error masking). @default unchanged
   */
  constructor(readonly prepare: (result: ExecutionResult) => ExecutionResult = (result) => result) {}

  readonly #hubs = new Map<string, Hub>();
  /**
   * Hubs being started (their authorization read in flight), by key: a crowd that subscribes at
   * once waits for the first one's start instead of each starting its own. Removed once started,
   * so a start nobody reads (a 406 answer) leaves nothing behind.
   */
  readonly #starting = new Map<string, Promise<Hub | ExecutionResult>>();
  readonly #live = new Set<Hub>();
  #clients = 0;

  stats(): FanoutStats {
    return { clients: this.#clients, executions: this.#live.size };
  }

  /** A hub new members may join for this key, if one runs. */
  joinable(key: string): Hub | undefined {
    const hub = this.#hubs.get(key);
    return hub?.joinable ? hub : undefined;
  }

  /** The start in flight for this key, if any. */
  starting(key: string): Promise<Hub | ExecutionResult> | undefined {
    return this.#starting.get(key);
  }

  /** Runs `start` as the one start for `key` while it is in flight. */
  start(key: string, start: () => Promise<Hub | ExecutionResult>): Promise<Hub | ExecutionResult> {
    const pending = start();
    this.#starting.set(key, pending);
    const done = () => {
      if (this.#starting.get(key) === pending) this.#starting.delete(key);
    };
    pending.then(done, done);
    return pending;
  }

  register(hub: Hub): void {
    this.#live.add(hub);
    // A hub started while another one for the key ran stays private to its first member.
    if (hub.key !== undefined && !this.#hubs.has(hub.key) && hub.joinable) this.#hubs.set(hub.key, hub);
  }

  unregister(hub: Hub): void {
    if (hub.key !== undefined && this.#hubs.get(hub.key) === hub) this.#hubs.delete(hub.key);
    if (hub.members === 0) this.#live.delete(hub);
  }

  count(delta: 1 | -1): void {
    this.#clients += delta;
  }
}
