/** The Director's structural diffs (`[[text, "added"|"removed"|null], ...]`) as `Diff` objects. */
import type { WireDiffLine } from '../director/types.js';
import type { DiffChange } from '../generated/resolvers.js';
import { badUserInput } from './errors.js';

export interface DiffObject {
  lines: { text: string; change: DiffChange | null }[];
  cloudConfigIds: string[] | null;
  runtimeConfigIds: string[] | null;
}

const CHANGES: Record<string, DiffChange> = { added: 'ADDED', removed: 'REMOVED' };

export function toDiff(
  lines: readonly WireDiffLine[],
  context?: { cloud_config_ids?: number[]; runtime_config_ids?: number[] },
): DiffObject {
  return {
    lines: lines.map(([text, change]) => ({
      text: String(text),
      change: (change && CHANGES[change]) ?? null,
    })),
    cloudConfigIds: context ? (context.cloud_config_ids ?? []).map(String) : null,
    runtimeConfigIds: context ? (context.runtime_config_ids ?? []).map(String) : null,
  };
}

/** Config ids are integers on every Director (`GET /configs/{id}`); anything else is refused unsent. */
export function parseConfigId(id: string, argument: string): string {
  if (!/^\d{1,15}$/.test(id)) {
    throw badUserInput(`${argument} must be a config id (a positive integer), got "${id.slice(0, 40)}".`, {
      argument,
    });
  }
  return id;
}
