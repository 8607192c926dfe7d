/**
 * The lines of one `vms?format=full` or `instances?format=full` result, indexed once so each VM or
 * instance finds its own in O(1): O(V) for a deployment's V VMs, where a search per VM was O(V²).
 * The index is built on first use and kept as long as the lines are (one operation's loader).
 */
import type { WireVmFull } from '../director/types.js';

interface LineIndex {
  /** By VM cid; the first line of a cid wins, as a search in result order would find it. */
  byCid: Map<string, WireVmFull>;
  /** By instance id, among lines not marked inactive; again the first wins. */
  activeById: Map<string, WireVmFull>;
  /** By instance id, any line. */
  byId: Map<string, WireVmFull>;
}

const indexes = new WeakMap<readonly WireVmFull[], LineIndex>();

function indexOf(lines: readonly WireVmFull[]): LineIndex {
  let index = indexes.get(lines);
  if (index) return index;
  index = { byCid: new Map(), activeById: new Map(), byId: new Map() };
  for (const line of lines) {
    if (line.vm_cid != null && !index.byCid.has(line.vm_cid)) index.byCid.set(line.vm_cid, line);
    if (!index.byId.has(line.id)) index.byId.set(line.id, line);
    if (line.active !== false && !index.activeById.has(line.id)) index.activeById.set(line.id, line);
  }
  indexes.set(lines, index);
  return index;
}

/** A VM's line: the one with its cid, else its instance's line that is not inactive. */
export function vmLine(
  lines: readonly WireVmFull[],
  vm: { cid?: string | null; id?: string | null },
): WireVmFull | null {
  const index = indexOf(lines);
  return (
    (vm.cid != null ? index.byCid.get(vm.cid) : undefined) ??
    (vm.id != null ? index.activeById.get(vm.id) : undefined) ??
    null
  );
}

/** An instance's line (`instances?format=full` has one per instance). */
export function instanceLine(lines: readonly WireVmFull[], id: string): WireVmFull | null {
  return indexOf(lines).byId.get(id) ?? null;
}
