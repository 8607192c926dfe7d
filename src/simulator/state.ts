/**
 * Everything the simulated Director knows, in memory. Routes read it; only task jobs (and the
 * deploy route's immediate row creation) change it, as on a real Director.
 */

import { AuditLog } from './audit.js';
import { Rng } from './rng.js';
import type {
  Config,
  Deployment,
  HeldLock,
  OrphanDisk,
  OrphanedVm,
  Problem,
  Release,
  Stemcell,
  Task,
} from './types.js';
import { compareVersions } from './versions.js';

/** Third octet of the simulated network per availability zone (see the seeded cloud config). */
export const AZ_SUBNETS: Readonly<Record<string, number>> = { z1: 1, z2: 2, z3: 3 };

/** The name of a deployment's lock. */
export function deploymentLock(deployment: string): string {
  return `lock:deployment:${deployment}`;
}

export class SimState {
  /** Director name and uuid, as reported by `/info` (the uuid also appears in `bosh.<uuid>.admin`). */
  readonly name = 'bosh-simulator';
  readonly uuid: string;
  readonly rng: Rng;
  stemcells: Stemcell[] = [];
  readonly releases = new Map<string, Release>();
  readonly deployments = new Map<string, Deployment>();
  readonly tasks = new Map<number, Task>();
  readonly configs: Config[] = [];
  /** Lock rows by full name (`lock:deployment:<d>`, ...). */
  readonly locks = new Map<string, HeldLock>();
  /** Audit events (`GET /events`). */
  readonly audit = new AuditLog();
  orphanDisks: OrphanDisk[] = [];
  orphanedVms: OrphanedVm[] = [];
  readonly problems: Problem[] = [];
  private lastProblemId = 0;
  /** `<release>/<version>@<os>/<stemcell version>` pairs already compiled. */
  readonly compiled = new Set<string>();
  private readonly usedIps = new Set<string>();
  private lastTaskId = 0;
  private lastStemcellId = 0;
  private lastConfigId = 0;

  /** The simulator's start (epoch ms): the Director's own certificates are dated from it. */
  startedAt = 0;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.uuid = this.rng.uuid();
  }

  nextTaskId(): number {
    this.lastTaskId += 1;
    return this.lastTaskId;
  }

  nextProblemId(): number {
    this.lastProblemId += 1;
    return this.lastProblemId;
  }

  nextStemcellId(): number {
    this.lastStemcellId += 1;
    return this.lastStemcellId;
  }

  addConfig(config: Omit<Config, 'id' | 'deleted'>): Config {
    this.lastConfigId += 1;
    const stored = { ...config, id: this.lastConfigId, deleted: false };
    this.configs.push(stored);
    return stored;
  }

  /** The newest live config of a type and name (`ConfigManager.current`). */
  currentConfig(type: string, name: string): Config | undefined {
    let found: Config | undefined;
    for (const c of this.configs) {
      if (!c.deleted && c.type === type && c.name === name && (!found || c.id > found.id)) found = c;
    }
    return found;
  }

  /** Not deleted, and no newer live row of the same type and name (`Config#current?`). */
  isCurrent(c: Config): boolean {
    return this.currentConfig(c.type, c.name)?.id === c.id;
  }

  /**
   * `Config.latest_set_for_teams`: per name, the newest live config of `type` that is global or
   * belongs to one of `teams` (`null`: any team, `latest_set`); ordered by id.
   */
  latestSet(type: string, teams: readonly string[] | null): Config[] {
    const byName = new Map<string, Config>();
    for (const c of this.configs) {
      if (c.deleted || c.type !== type) continue;
      if (teams !== null && c.team !== null && !teams.includes(c.team)) continue;
      const seen = byName.get(c.name);
      if (!seen || c.id > seen.id) byName.set(c.name, c);
    }
    return [...byName.values()].sort((a, b) => a.id - b.id);
  }

  /** Whether some deployment currently uses this release version. */
  releaseVersionDeployed(name: string, version: string): boolean {
    for (const d of this.deployments.values()) {
      if (d.releases.some((r) => r.name === name && r.version === version)) return true;
    }
    return false;
  }

  stemcellDeployments(name: string, version: string): string[] {
    const names: string[] = [];
    for (const d of this.deployments.values()) {
      if (d.stemcells.some((s) => s.name === name && s.version === version)) names.push(d.name);
    }
    return names.sort();
  }

  /** Highest release version, or the highest of `<prefix>.*` for `<prefix>.latest`. */
  resolveReleaseVersion(name: string, requested: string): string | undefined {
    const release = this.releases.get(name);
    if (!release) return undefined;
    const versions = release.versions.map((v) => v.version);
    if (requested === 'latest' || requested.endsWith('.latest')) {
      const prefix = requested === 'latest' ? '' : requested.slice(0, -'latest'.length);
      return versions
        .filter((v) => v.startsWith(prefix))
        .sort(compareVersions)
        .at(-1);
    }
    return versions.find((v) => v === requested);
  }

  /** A stemcell by `os` or `name`, resolving `latest` and `<prefix>.latest`. */
  resolveStemcell(by: { os?: string; name?: string }, requested: string): Stemcell | undefined {
    const candidates = this.stemcells.filter((s) => (by.name ? s.name === by.name : s.os === by.os));
    if (requested === 'latest' || requested.endsWith('.latest')) {
      const prefix = requested === 'latest' ? '' : requested.slice(0, -'latest'.length);
      return candidates
        .filter((s) => s.version.startsWith(prefix))
        .sort((a, b) => compareVersions(a.version, b.version))
        .at(-1);
    }
    return candidates.find((s) => s.version === requested);
  }

  /** The next free address in the AZ's subnet (10.244.<az>.10 onwards); null when no AZ. */
  allocateIp(az: string | null): string {
    const subnet = (az && AZ_SUBNETS[az]) ?? 0;
    for (let host = 10; host < 255; host++) {
      const ip = `10.244.${subnet}.${host}`;
      if (!this.usedIps.has(ip)) {
        this.usedIps.add(ip);
        return ip;
      }
    }
    throw new Error(`simulated subnet for ${az ?? 'no az'} is full`);
  }

  releaseIp(ip: string): void {
    this.usedIps.delete(ip);
  }

  /** Lock holder of a deployment, if any. */
  lockOf(deployment: string): HeldLock | undefined {
    return this.locks.get(deploymentLock(deployment));
  }
}
