/**
 * Which errands a deployment has (`GET /deployments/{d}/errands`, and the name lookup of a run):
 * its instance groups with `lifecycle: errand`, in manifest order, then, de-duplicated, the jobs
 * of any group whose release gives them a `bin/run` (`deployments_controller.rb:562-577`).
 */

import { parse } from 'yaml';
import { runsAsErrand } from '../catalog.js';
import { isRecord } from '../manifest.js';
import type { SimState } from '../state.js';
import type { Deployment } from '../types.js';

/** Jobs with a `bin/run` and the groups that hold them, in manifest order. */
export function errandJobs(_state: SimState, d: Deployment): { group: string; job: string }[] {
  if (!d.manifest) return [];
  const doc: unknown = parse(d.manifest);
  const groups =
    isRecord(doc) && Array.isArray(doc.instance_groups) ? doc.instance_groups.filter(isRecord) : [];
  return groups.flatMap((g) =>
    (Array.isArray(g.jobs) ? g.jobs.filter(isRecord) : [])
      .filter((j) => runsAsErrand(String(j.release), String(j.name)))
      .map((j) => ({ group: String(g.name), job: String(j.name) })),
  );
}

export function errandNames(state: SimState, d: Deployment): string[] {
  const groups = [...new Set(d.instances.filter((i) => !i.expectsVm).map((i) => i.group))];
  return [...new Set([...groups, ...errandJobs(state, d).map((e) => e.job)])];
}
