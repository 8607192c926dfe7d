/**
 * Config reads shared by `/configs` and the legacy `/cloud_configs`, `/runtime_configs` and
 * `/cpi_configs` routes (`config_manager.rb`, `models/config.rb`).
 */
import { parse } from 'yaml';
import { psychLines } from './diff/psych.js';
import { isRecord } from './manifest.js';
import type { SimState } from './state.js';
import type { Config } from './types.js';

/** `Time#to_s` in UTC: `2026-01-15 10:00:00 UTC`. */
export function configTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

/** `Config#to_hash`: keys in this order; `team` null for a global config. */
export function configToWire(c: Config, state: SimState): Record<string, unknown> {
  return {
    content: c.content,
    id: String(c.id),
    type: c.type,
    name: c.name,
    team: c.team,
    created_at: configTime(c.createdAt),
    current: state.isCurrent(c),
  };
}

/** Type, then `default` before any other name, then name, then newest first. */
function byTypeDefaultName(a: Config, b: Config): number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    cmp(a.type, b.type) ||
    Number(a.name !== 'default') - Number(b.name !== 'default') ||
    cmp(a.name, b.name) ||
    b.id - a.id
  );
}

/**
 * `ConfigManager.find`: live configs, filtered by type and name, at most `limit` per (type, name)
 * pair, in the order above.
 */
export function findConfigs(
  state: SimState,
  type: string | null,
  name: string | null,
  limit: number,
): Config[] {
  const live = state.configs.filter(
    (c) => !c.deleted && (type === null || c.type === type) && (name === null || c.name === name),
  );
  const groups = new Map<string, Config[]>();
  for (const c of [...live].sort(byTypeDefaultName)) {
    const key = JSON.stringify([c.type, c.name]);
    const group = groups.get(key) ?? [];
    if (group.length < limit) group.push(c);
    groups.set(key, group);
  }
  return [...groups.values()].flat();
}

/** `ConfigManager.find_by_id`: an integer id (`id.to_s == id.to_i.to_s`) of a live config. */
export function configById(state: SimState, id: string): Config | undefined {
  if (!/^-?(?:0|[1-9]\d*)$/.test(id)) return undefined;
  return state.configs.find((c) => c.id === Number(id) && !c.deleted);
}

/** The YAML text of a stored config, parsed (`raw_manifest`). */
export function configHash(c: Config | undefined): Record<string, unknown> {
  if (!c) return {};
  const doc: unknown = parse(c.content);
  return isRecord(doc) ? doc : {};
}

/** `YAML.dump(hash)`: how the Director re-writes a runtime config before storing it. */
export function yamlDump(doc: Record<string, unknown>): string {
  return `---\n${psychLines(doc).join('\n')}\n`;
}

/** A runtime config as stored: release versions turned into strings, then re-dumped. */
export function runtimeContent(doc: Record<string, unknown>): string {
  if (Array.isArray(doc.releases)) {
    for (const rel of doc.releases) {
      if (isRecord(rel) && rel.version !== undefined && rel.version !== null)
        rel.version = String(rel.version);
    }
  }
  return yamlDump(doc);
}
