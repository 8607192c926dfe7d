/**
 * Everything the simulated Director knows, in memory. Routes read it; only task jobs (and the
 * deploy route's immediate row creation) change it, as on a real Director.
 */
import { Rng } from './rng.js';
import type { Config, Deployment, DeploymentLock, Release, Stemcell, Task } from './types.js';
import { compareVersions } from './versions.js';

/** Third octet of the simulated network per availability zone (see the seeded cloud config). */
export const AZ_SUBNETS: Readonly<Record<string, number>> = { z1: 1, z2: 2, z3: 3 };

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
  readonly locks = new Map<string, DeploymentLock>();
  /** `<release>/<version>@<os>/<stemcell version>` pairs already compiled. */
  readonly compiled = new Set<string>();
  private readonly usedIps = new Set<string>();
  private lastTaskId = 0;
  private lastStemcellId = 0;
  private lastConfigId = 0;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.uuid = this.rng.uuid();
  }

  nextTaskId(): number {
    this.lastTaskId += 1;
    return this.lastTaskId;
  }

  nextStemcellId(): number {
    this.lastStemcellId += 1;
    return this.lastStemcellId;
  }

  addConfig(config: Omit<Config, 'id'>): Config {
    this.lastConfigId += 1;
    const stored = { ...config, id: this.lastConfigId };
    this.configs.push(stored);
    return stored;
  }

  /** The newest config of each (type, name): what `GET /configs?latest=true` lists. */
  latestConfigs(): Config[] {
    const latest = new Map<string, Config>();
    for (const c of this.configs) {
      const key = `${c.type}/${c.name}`;
      const seen = latest.get(key);
      if (!seen || seen.id < c.id) latest.set(key, c);
    }
    return [...latest.values()].sort((a, b) => a.id - b.id);
  }

  latestIds(type: Config['type']): number[] {
    return this.latestConfigs()
      .filter((c) => c.type === type)
      .map((c) => c.id);
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
  lockOf(deployment: string): DeploymentLock | undefined {
    return this.locks.get(deployment);
  }
}
