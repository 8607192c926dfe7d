/**
 * Turns a manifest into a deploy plan against the current state: resolved releases and stemcells
 * (`latest` and `<prefix>.latest` resolved here, as current Directors do), the instances each
 * instance group gets, which of them change, which need a new VM, and what must be compiled.
 *
 * Failures inside the plan fail the task. The codes are the Director's for releases (30005,
 * 30006) and stemcells (50003); for other manifest problems the simulator uses 40001 (missing
 * field) and 190014 (a reference that does not resolve), which are close but not always the
 * exact class a real Director would pick.
 */
import { createHash } from 'node:crypto';
import { VM_TYPE_PROPERTIES } from '../catalog.js';
import { isRecord, type ManifestDoc } from '../manifest.js';
import { AZ_SUBNETS, type SimState } from '../state.js';
import { TaskFailure } from '../tasks.js';
import type { Instance, Stemcell } from '../types.js';

export interface PlannedInstance {
  group: string;
  index: number;
  az: string | null;
  /** The instance as deployed before, when there is one at this group/index. */
  existing: Instance | undefined;
  /** Needs a new VM: new instance, moved AZ, or recreate. */
  needsVm: boolean;
  /** Goes through "Updating instance". */
  changed: boolean;
  specHash: string;
  /** The state it ends in: a `job_states` override, or the one it had (`bosh stop` persists). */
  desired: 'started' | 'stopped' | 'detached';
  /** What its update does, as its instance event's action says. */
  action: 'create' | 'update' | 'recreate' | 'start' | 'stop' | 'restart';
}

export interface PlannedGroup {
  name: string;
  errand: boolean;
  /** The manifest asks for this group to fail (see docs: `simulate_failure`). */
  fail: boolean;
  jobs: string[];
  vmType: string | null;
  persistentDisk: boolean;
  stemcell: Stemcell;
  canaries: number;
  maxInFlight: number;
  instances: PlannedInstance[];
}

export interface CompilePackage {
  key: string;
  task: string;
}

export interface DeployPlan {
  releases: { name: string; version: string }[];
  stemcells: Stemcell[];
  groups: PlannedGroup[];
  compile: CompilePackage[];
  /** Instances that no longer exist in the manifest. */
  obsolete: Instance[];
  deprecations: string[];
  warnings: string[];
}

export interface PlanOptions {
  recreate: boolean;
  canaries?: string;
  maxInFlight?: string;
  /**
   * `PUT /deployments/{d}/jobs/...`: the state asked for a group (`*` for all) or one instance
   * (by index). Validated here, in the task, as the Director does (140008, 140007).
   */
  jobState?: { group: string; index?: number; state: string | null };
  /** Recreate VMs whose agent does not answer. */
  fix?: boolean;
  /** `recreate_vms_created_before`, epoch ms: only older VMs are recreated. */
  recreateBefore?: number;
  /** Group names (or `*`) whose drain scripts are skipped. */
  skipDrain?: string;
}

const STATES = ['started', 'stopped', 'detached', 'recreate', 'restart'];

/** The override a `job_states` option makes for one instance, if any. */
function stateOverride(options: PlanOptions, group: string, index: number): string | null {
  const js = options.jobState;
  if (!js || (js.group !== '*' && js.group !== group)) return null;
  if (js.index !== undefined && js.index !== index) return null;
  return js.state;
}

function fail(code: number, message: string): never {
  throw new TaskFailure(code, message);
}

/** "2" or "30%" of n, at least 1 when n > 0. */
export function resolveCount(spec: unknown, n: number, fallback: number): number {
  if (typeof spec === 'number' && Number.isFinite(spec)) return Math.max(1, Math.floor(spec));
  if (typeof spec === 'string') {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(spec.trim());
    if (pct) return Math.max(1, Math.ceil((n * Number(pct[1])) / 100));
    if (/^\d+$/.test(spec.trim())) return Math.max(1, Number(spec));
  }
  return fallback;
}

function list(doc: ManifestDoc, key: string): Record<string, unknown>[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    fail(40001, `Property '${key}' value (${JSON.stringify(v)}) did not match the required type 'Array'`);
  return v.filter(isRecord);
}

function requiredString(obj: Record<string, unknown>, key: string, what: string): string {
  const v = obj[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return fail(40001, `Required property '${key}' was not specified in object (${what})`);
}

function resolveReleases(state: SimState, doc: ManifestDoc): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const rel of list(doc, 'releases')) {
    const name = requiredString(rel, 'name', JSON.stringify(rel));
    const requested = requiredString(rel, 'version', JSON.stringify(rel));
    if (!state.releases.has(name)) fail(30005, `Release '${name}' doesn't exist`);
    const version = state.resolveReleaseVersion(name, requested);
    if (!version) fail(30006, `Release version '${name}/${requested}' doesn't exist`);
    resolved.set(name, version);
  }
  return resolved;
}

function resolveStemcells(state: SimState, doc: ManifestDoc): Map<string, Stemcell> {
  const byAlias = new Map<string, Stemcell>();
  for (const s of list(doc, 'stemcells')) {
    const alias = requiredString(s, 'alias', JSON.stringify(s));
    const version = requiredString(s, 'version', JSON.stringify(s));
    const os = typeof s.os === 'string' ? s.os : undefined;
    const name = typeof s.name === 'string' ? s.name : undefined;
    const found = state.resolveStemcell({ os, name }, version);
    if (!found) {
      fail(
        50003,
        name
          ? `Stemcell '${name}/${version}' doesn't exist`
          : `Stemcell version '${version}' for OS '${os}' doesn't exist`,
      );
    }
    byAlias.set(alias, found);
  }
  return byAlias;
}

function hash(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

export function planDeploy(
  state: SimState,
  name: string,
  doc: ManifestDoc,
  options: PlanOptions,
): DeployPlan {
  const js = options.jobState;
  if (js && (js.state === null || !STATES.includes(js.state))) {
    const valid = 'valid states are: started, stopped, detached, recreate, restart';
    if (js.index !== undefined)
      fail(140007, `Invalid state '${js.state ?? ''}' for '${js.group}/${js.index}', ${valid}`);
    fail(140008, `Invalid state '${js.state ?? ''}' for '${js.group}', ${valid}`);
  }
  const releases = resolveReleases(state, doc);
  const stemcells = resolveStemcells(state, doc);
  const existing = state.deployments.get(name)?.instances ?? [];
  const globalUpdate = isRecord(doc.update) ? doc.update : {};
  const groups: PlannedGroup[] = [];
  const compile = new Map<string, CompilePackage>();

  for (const ig of list(doc, 'instance_groups')) {
    const group = requiredString(ig, 'name', JSON.stringify(ig));
    const count = ig.instances;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      fail(40001, `Required property 'instances' was not specified in object (${JSON.stringify(ig)})`);
    }
    const azs = Array.isArray(ig.azs) ? ig.azs.map(String) : [];
    for (const az of azs) {
      if (!(az in AZ_SUBNETS))
        fail(190014, `Instance group '${group}' references unknown availability zone '${az}'`);
    }
    const alias = typeof ig.stemcell === 'string' ? ig.stemcell : undefined;
    const stemcell = alias ? stemcells.get(alias) : [...stemcells.values()][0];
    if (!stemcell) fail(190014, `Instance group '${group}' references an unknown stemcell '${alias ?? ''}'`);
    const jobs = Array.isArray(ig.jobs) ? ig.jobs.filter(isRecord) : [];
    let fails = isRecord(ig.env) && isRecord(ig.env.bosh) && ig.env.bosh.simulate_failure === true;
    const usedReleases: Record<string, string> = {};
    for (const job of jobs) {
      const jobName = requiredString(job, 'name', JSON.stringify(job));
      const relName = requiredString(job, 'release', JSON.stringify(job));
      const version = releases.get(relName);
      if (!version)
        fail(
          190014,
          `Job '${jobName}' in instance group '${group}' references an unknown release '${relName}'`,
        );
      usedReleases[relName] = version;
      if (isRecord(job.properties) && job.properties.simulate_failure === true) fails = true;
      const relVersion = state.releases.get(relName)?.versions.find((v) => v.version === version);
      for (const pkg of relVersion?.packages ?? []) {
        const key = `${relName}/${version}@${stemcell.os}/${stemcell.version}`;
        if (state.compiled.has(key)) continue;
        const fp = hash([relName, version, pkg]);
        compile.set(`${key}:${pkg}`, { key, task: `${pkg}/${fp}` });
      }
    }
    const errand = ig.lifecycle === 'errand';
    const vmType = typeof ig.vm_type === 'string' ? ig.vm_type : null;
    if (vmType && !(vmType in VM_TYPE_PROPERTIES)) {
      fail(190014, `Instance group '${group}' references an unknown vm type '${vmType}'`);
    }
    // The instance count is not part of an instance's spec: scaling leaves existing ones alone.
    const { instances: _count, ...spec } = ig;
    const specHash = hash({ spec, usedReleases, stemcell: stemcell.version });
    const update = { ...globalUpdate, ...(isRecord(ig.update) ? ig.update : {}) };
    const instances: PlannedInstance[] = [];
    for (let index = 0; index < count; index++) {
      const az = azs.length > 0 ? (azs[index % azs.length] as string) : null;
      const prev = existing.find((i) => i.group === group && i.index === index);
      // An ignored instance (`bosh ignore`) is left exactly as it is.
      const ignored = prev?.ignore === true;
      const asked = ignored ? null : stateOverride(options, group, index);
      const was = prev?.state ?? 'started';
      const desired =
        asked === 'started' || asked === 'stopped' || asked === 'detached'
          ? asked
          : asked === 'recreate' || asked === 'restart'
            ? was === 'detached'
              ? 'started'
              : was
            : was;
      const old = prev?.vm;
      const recreate =
        asked === 'recreate' ||
        (options.recreate &&
          (options.recreateBefore === undefined || (old?.createdAt ?? 0) < options.recreateBefore)) ||
        (options.fix === true && old?.unresponsive === true);
      const needsVm = !errand && !ignored && desired !== 'detached' && (!old || prev?.az !== az || recreate);
      const specChanged = prev?.specHash !== specHash;
      const changed =
        !errand &&
        !ignored &&
        (needsVm ||
          specChanged ||
          desired !== was ||
          asked === 'restart' ||
          (desired === 'detached' && old !== undefined && old !== null));
      const action = !prev
        ? 'create'
        : asked !== null && !specChanged && !needsVm
          ? asked === 'restart'
            ? 'restart'
            : desired === 'started'
              ? 'start'
              : 'stop'
          : recreate || needsVm
            ? 'recreate'
            : 'update';
      instances.push({ group, index, az, existing: prev, needsVm, changed, specHash, desired, action });
    }
    const n = instances.filter((i) => i.changed).length;
    groups.push({
      name: group,
      errand,
      fail: fails,
      jobs: jobs.map((j) => String(j.name)),
      vmType,
      persistentDisk: ig.persistent_disk !== undefined || ig.persistent_disk_type !== undefined,
      stemcell,
      canaries: resolveCount(options.canaries ?? update.canaries, n, 1),
      maxInFlight: resolveCount(options.maxInFlight ?? update.max_in_flight, n, 1),
      instances,
    });
  }

  const kept = new Set(groups.flatMap((g) => g.instances.map((i) => `${i.group}/${i.index}`)));
  const deprecations: string[] = [];
  const warnings: string[] = [];
  if (groups.some((g) => g.instances.some((i) => i.existing?.ignore))) {
    warnings.push('You have ignored instances. They will not be changed.');
  }
  if (doc.properties !== undefined) {
    deprecations.push("Global 'properties' are deprecated. Please define 'properties' at the job level.");
  }
  return {
    releases: [...releases].map(([n, version]) => ({ name: n, version })),
    stemcells: [...new Set(stemcells.values())],
    groups,
    compile: [...compile.values()],
    obsolete: existing.filter((i) => !kept.has(`${i.group}/${i.index}`)),
    deprecations,
    warnings,
  };
}
