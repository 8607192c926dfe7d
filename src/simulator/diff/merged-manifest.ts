/**
 * A manifest as the deploy diff compares it (`manifest/manifest.rb`): the manifest with its
 * `latest` release and stemcell versions resolved, shallow-merged with its cloud configs (whose
 * keys become top-level keys) and its runtime configs (`releases`, `addons` and `variables`
 * set-unioned, `tags` merged), runtime addons kept only where their include/exclude rules apply.
 * The Director's quirk is kept too: a runtime config without `releases` contributes nothing.
 */

import { configHash } from '../configs.js';
import { isRecord } from '../manifest.js';
import type { SimState } from '../state.js';
import type { Config } from '../types.js';
import { same } from './changeset.js';

type Hash = Record<string, unknown>;

const CLOUD_LISTS = ['azs', 'vm_types', 'vm_extensions', 'disk_types', 'networks'];
const RUNTIME_LISTS = ['releases', 'addons', 'variables'];

/** Several configs of one type as one hash (the Director's configs consolidators). */
function consolidate(configs: Config[], lists: string[]): Hash {
  const out: Hash = {};
  for (const c of configs) {
    for (const [key, value] of Object.entries(configHash(c))) {
      if (lists.includes(key) && Array.isArray(value))
        out[key] = [...((out[key] as unknown[]) ?? []), ...value];
      else if (key === 'tags' && isRecord(value)) out[key] = { ...(out[key] as Hash), ...value };
      else out[key] ??= value;
    }
  }
  return out;
}

function union(a: unknown[], b: unknown[]): unknown[] {
  const out = [...a];
  for (const v of b) if (!out.some((x) => same(x, v))) out.push(v);
  return out;
}

function names(list: unknown, key = 'name'): string[] {
  return Array.isArray(list) ? list.filter(isRecord).map((x) => String(x[key])) : [];
}

/** Whether an addon's include (all given rules match) and exclude (none) apply to the deployment. */
function applies(addon: Hash, manifest: Hash, teams: readonly string[]): boolean {
  const groups = Array.isArray(manifest.instance_groups) ? manifest.instance_groups.filter(isRecord) : [];
  const stemcellOses = Array.isArray(manifest.stemcells)
    ? manifest.stemcells.filter(isRecord).map((s) => String(s.os ?? ''))
    : [];
  const matches = (rule: unknown): boolean => {
    if (!isRecord(rule)) return false;
    const checks: boolean[] = [];
    if (Array.isArray(rule.deployments))
      checks.push(rule.deployments.map(String).includes(String(manifest.name)));
    if (Array.isArray(rule.teams)) checks.push(rule.teams.map(String).some((t) => teams.includes(t)));
    if (Array.isArray(rule.stemcell))
      checks.push(names(rule.stemcell, 'os').some((os) => stemcellOses.includes(os)));
    if (Array.isArray(rule.instance_groups))
      checks.push(rule.instance_groups.map(String).some((n) => names(groups).includes(n)));
    if (Array.isArray(rule.jobs)) {
      const jobs = groups.flatMap((g) => (Array.isArray(g.jobs) ? g.jobs.filter(isRecord) : []));
      checks.push(
        rule.jobs
          .filter(isRecord)
          .some((j) => jobs.some((x) => x.name === j.name && x.release === j.release)),
      );
    }
    return checks.length > 0 && checks.every(Boolean);
  };
  const include = addon.include === undefined || matches(addon.include);
  return include && !(addon.exclude !== undefined && matches(addon.exclude));
}

/** `filter_addons`: the runtime config narrowed to the addons (and their releases) that apply. */
function filterAddons(runtime: Hash, manifest: Hash, teams: readonly string[]): Hash {
  if (!('releases' in runtime)) return manifest;
  const out: Hash = { ...runtime };
  const addons = Array.isArray(runtime.addons) ? runtime.addons.filter(isRecord) : [];
  const applicable = addons.filter((a) => applies(a, manifest, teams));
  const used = new Set(applicable.flatMap((a) => (Array.isArray(a.jobs) ? names(a.jobs, 'release') : [])));
  out.releases = Array.isArray(runtime.releases)
    ? runtime.releases.filter((r) => isRecord(r) && used.has(String(r.name)))
    : [];
  if (applicable.length > 0) out.addons = applicable;
  else delete out.addons;
  return out;
}

/** `resolve_aliases`: `latest` and `<prefix>.latest` releases and stemcells made concrete. */
function resolveAliases(state: SimState, doc: Hash): void {
  for (const rel of Array.isArray(doc.releases) ? doc.releases.filter(isRecord) : []) {
    const version = String(rel.version ?? '');
    const resolved = /(^|\.)latest$/.test(version)
      ? state.resolveReleaseVersion(String(rel.name), version)
      : undefined;
    if (/(^|\.)latest$/.test(version) && !resolved) throw new Error(`Release '${rel.name}' doesn't exist`);
    rel.version = resolved ?? version;
  }
  for (const sc of Array.isArray(doc.stemcells) ? doc.stemcells.filter(isRecord) : []) {
    const by = {
      os: typeof sc.os === 'string' ? sc.os : undefined,
      name: typeof sc.name === 'string' ? sc.name : undefined,
    };
    const version = String(sc.version ?? '');
    const found = /(^|\.)latest$/.test(version) ? state.resolveStemcell(by, version) : undefined;
    sc.version = found?.version ?? version;
  }
}

/** `merge_manifests` after `to_hash_filter_addons`, aliases resolved. */
export function mergedManifest(
  state: SimState,
  manifest: Hash,
  cloud: Config[],
  runtime: Config[],
  teams: readonly string[],
): Hash {
  const doc = structuredClone(manifest);
  const cloudHash = cloud.length > 0 ? consolidate(cloud, CLOUD_LISTS) : {};
  const runtimeHash = filterAddons(consolidate(runtime, RUNTIME_LISTS), doc, teams);
  const merged: Hash = { ...doc, ...cloudHash };
  for (const [key, value] of Object.entries(runtimeHash)) {
    const old = merged[key];
    if (RUNTIME_LISTS.includes(key)) {
      merged[key] = Array.isArray(old) && Array.isArray(value) ? union(old, value) : (old ?? value);
    } else if (key === 'tags') {
      merged[key] = isRecord(old) && isRecord(value) ? { ...value, ...old } : (old ?? value);
    } else {
      merged[key] = value;
    }
  }
  resolveAliases(state, merged);
  return merged;
}
