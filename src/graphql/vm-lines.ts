/**
 * The lines of one `vms?format=full` or `instances?format=full` result, indexed once so each VM or
 * instance finds its own in O(1): O(V) for a deployment's V VMs, where a search per VM was O(V²).
 * The index is built on first use and kept as long as the lines are (one operation's loader).
 */
import type { WireVm, WireVmFull } from '../director/types.js';
import { onlyFrom, type Selected } from './selection.js';

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

/**
 * The `VM` fields a `vms?format=full` line answers: all of them (its cid, instance, agent, IPs,
 * creation time and active flag are the ones plain `/vms` sends). When `details` is selected the
 * task runs anyway, so it also lists the VMs and plain `/vms` is not called.
 */
const TASK_VM_FIELDS: ReadonlySet<string> = new Set([
  '__typename',
  'agentId',
  'cid',
  'job',
  'index',
  'instanceId',
  'az',
  'ips',
  'createdAt',
  'active',
  'deployment',
  'details',
]);

/** True when the `vms` task answers this selection below `Deployment.vms` by itself. */
export function answeredByVmsTask(selected: Selected): boolean {
  return selected.has('details') && onlyFrom(selected, TASK_VM_FIELDS);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The VMs a `vms?format=full` result lists, each with its line, in a stable order: the task
 * writes its lines in no particular order, so by instance group, index, the active VM first, cid.
 * (The task reports every VM of the instances that have an active one: plain `/vms` also lists an
 * instance's VMs while none of them is active, a passing state.)
 */
export function vmsOfLines(lines: readonly WireVmFull[]): { vm: WireVm; line: WireVmFull }[] {
  return [...lines]
    .sort(
      (a, b) =>
        compare(a.job_name, b.job_name) ||
        a.index - b.index ||
        Number(b.active === true) - Number(a.active === true) ||
        compare(a.vm_cid ?? '', b.vm_cid ?? ''),
    )
    .map((line) => ({
      line,
      vm: {
        agent_id: line.agent_id,
        cid: line.vm_cid,
        job: line.job_name,
        index: line.index,
        id: line.id,
        az: line.az,
        ips: line.ips,
        vm_created_at: line.vm_created_at,
        active: line.active === true,
      },
    }));
}
