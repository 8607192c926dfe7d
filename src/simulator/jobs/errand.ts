/**
 * The `run_errand` job (`jobs/run_errand.rb`, `errand/*.rb`). The name is tried as a job first:
 * the errand runs on every instance whose group holds that job and whose release gives it a
 * `bin/run`; otherwise it must name an errand instance group, which gets a VM for the run and
 * loses it afterwards unless `keep-alive`. Event log: `Preparing deployment`; for an errand
 * group its VM stages; then per instance `Running errand` and `Fetching logs for <instance>`.
 * Each instance writes one result line; the task result counts them as `<s> succeeded, <e>
 * errored, <c> canceled`, and a non-zero exit code still ends the task `done`.
 */
import { createHash } from 'node:crypto';
import { errandOutcome } from '../catalog.js';
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import type { Deployment, Instance } from '../types.js';
import { newVm } from './apply.js';
import { errandJobs } from './errand-list.js';
import { cpiLine } from './lanes.js';

export interface ErrandRequest {
  deployment: string;
  name: string;
  keepAlive: boolean;
  whenChanged: boolean;
  /** `instances` as sent: `{group, id?}` objects; anything else matches nothing. */
  filters: unknown[];
}

/** Ruby's `Hash#inspect`, as the "No instances match" message prints each filter. */
function inspect(filter: unknown): string {
  if (typeof filter === 'object' && filter !== null && !Array.isArray(filter)) {
    return `{${Object.entries(filter)
      .map(([k, v]) => `${JSON.stringify(k)} => ${JSON.stringify(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(filter);
}

/** `Errand::InstanceMatcher`: every instance when there are no filters. */
function match(d: Deployment, filters: unknown[]): { instances: Instance[]; unmatched: unknown[] } {
  if (filters.length === 0) return { instances: d.instances, unmatched: [] };
  const chosen = new Set<Instance>();
  const unmatched: unknown[] = [];
  for (const f of filters) {
    const rec = typeof f === 'object' && f !== null ? (f as Record<string, unknown>) : null;
    const group = rec ? d.instances.filter((i) => i.group === rec.group) : [];
    let found: Instance[] = group;
    if (rec && rec.id !== undefined && rec.id !== null) {
      const id = String(rec.id);
      found =
        id === 'first'
          ? [...group].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, 1)
          : group.filter((i) => i.id === id || String(i.index) === id);
    }
    if (found.length === 0) unmatched.push(f);
    for (const i of found) chosen.add(i);
  }
  return { instances: d.instances.filter((i) => chosen.has(i)), unmatched };
}

/** What a run depends on: for `when-changed`, an unchanged state skips the run. */
function stateHash(targets: Instance[]): string {
  return createHash('sha1')
    .update(JSON.stringify(targets.map((i) => [i.id, i.specHash])))
    .digest('hex');
}

export function* runErrandJob(ctx: JobContext, req: ErrandRequest): Job {
  yield { lock: req.deployment };
  const d = ctx.state.deployments.get(req.deployment);
  if (!d) throw new TaskFailure(70000, `Deployment '${req.deployment}' doesn't exist`);
  const { instances, unmatched } = match(d, req.filters);
  const stopped = instances.filter((i) => i.state !== 'started').map((i) => `'${i.group}/${i.id}'`);
  if (stopped.length > 0) {
    throw new TaskFailure(
      510000,
      `Instance(s) ${stopped.join(',')} is stopped, unable to run errand. Maybe start vm?`,
    );
  }
  const prep = ctx.events.stage('Preparing deployment', [], 1).start('Preparing deployment');
  yield;
  let targets: Instance[];
  let lifecycle = false;
  try {
    const groups = errandJobs(ctx.state, d)
      .filter((e) => e.job === req.name)
      .map((e) => e.group);
    if (groups.length > 0) {
      if (d.instances.some((i) => i.group === req.name && !i.expectsVm)) {
        ctx.events.warning(
          `Ambiguous request: the requested errand name '${req.name}' matches both a job name and an errand instance group name. Executing errand on all relevant instances with job '${req.name}'.`,
        );
      }
      targets = instances.filter((i) => groups.includes(i.group));
      lifecycle = targets.some((i) => !i.expectsVm);
    } else {
      const group = d.instances.filter((i) => i.group === req.name);
      if (group.length === 0) throw new TaskFailure(70009, `Errand '${req.name}' doesn't exist`);
      if (group[0]!.expectsVm) {
        throw new TaskFailure(
          510000,
          `Instance group '${req.name}' is not an errand. To mark an instance group as an errand set its lifecycle to 'errand' in the deployment manifest.`,
        );
      }
      if (req.filters.length > 0)
        throw new TaskFailure(
          510000,
          'Filtering by instances is not supported when running errand by instance group name',
        );
      targets = group.slice(0, 1);
      lifecycle = true;
    }
    if (unmatched.length > 0) {
      throw new Error(`No instances match selection criteria: [${unmatched.map(inspect).join(', ')}]`);
    }
  } catch (err) {
    prep.fail(err instanceof Error ? err.message : String(err));
    throw err;
  }
  prep.finish();
  if (targets.length > 1) {
    ctx.events.warning(
      'Executing errand on multiple instances in parallel. Use the `--instance` flag to run the errand on a single instance.',
    );
  }
  const hash = stateHash(targets);
  if (req.whenChanged && d.errandRuns?.[req.name] === hash) return 'skipped - no changes detected';
  if (lifecycle) yield* createErrandVms(ctx, targets);
  const outcomes = yield* runOn(ctx, req, targets);
  if (lifecycle && !req.keepAlive) yield* deleteErrandVms(ctx, targets);
  const ok = outcomes.filter((c) => c === 0).length;
  const errored = outcomes.filter((c) => c >= 1 && c <= 128).length;
  const canceled = outcomes.filter((c) => c > 128).length;
  if (errored === 0 && canceled === 0) d.errandRuns = { ...d.errandRuns, [req.name]: hash };
  return `${ok} succeeded, ${errored} errored, ${canceled} canceled`;
}

function* createErrandVms(ctx: JobContext, targets: Instance[]): Generator<undefined, void, void> {
  const create = ctx.events.stage('Creating missing vms', [], targets.length);
  for (const i of targets) {
    const t = create.start(`${i.group}/${i.id} (${i.index})`);
    yield;
    i.vm = newVm(ctx, i.az);
    ctx.cpi(cpiLine(ctx.now(), `request: {"method":"create_vm","arguments":["${i.vm.agentId}"]}`));
    t.finish();
  }
  const update = ctx.events.stage('Updating instance', [targets[0]!.group], targets.length);
  for (const i of targets) {
    const t = update.start(`${i.group}/${i.id} (${i.index})`);
    yield;
    t.progress('installing packages', 33);
    yield;
    t.progress('configuring jobs', 66);
    t.finish();
  }
}

function* deleteErrandVms(ctx: JobContext, targets: Instance[]): Generator<undefined, void, void> {
  const stage = ctx.events.stage('Deleting errand instances', [targets[0]!.group], targets.length);
  for (const i of targets) {
    const t = stage.start(`${i.group}/${i.id} (${i.index})`);
    yield;
    if (i.vm) {
      ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.vm.cid}"]}`));
      for (const ip of i.vm.ips) ctx.state.releaseIp(ip);
    }
    i.vm = null;
    t.finish();
  }
}

/** Runs on every target side by side; returns the exit codes. */
function* runOn(
  ctx: JobContext,
  req: ErrandRequest,
  targets: Instance[],
): Generator<undefined, number[], void> {
  const label = (i: Instance) => `${i.group}/${i.id} (${i.index})`;
  const event = (i: Instance) => ({
    action: 'run',
    objectType: 'errand',
    objectName: req.name,
    deployment: req.deployment,
    instance: label(i),
  });
  const parents = targets.map((i) => ctx.audit(event(i)));
  const running = targets.map((i) => ctx.events.stage('Running errand', [], 1).start(label(i)));
  yield;
  yield;
  for (const t of running) t.finish();
  const logs = targets.map((i) =>
    ctx.events.stage(`Fetching logs for ${label(i)}`, [], 1).start('Finding and packing log files'),
  );
  yield;
  const codes: number[] = [];
  // Lines are written in parallel on a real Director; the order here is a seeded shuffle.
  for (const k of ctx.rng.shuffle(targets.map((_, n) => n))) {
    const i = targets[k]!;
    const outcome = errandOutcome(req.name, i.group, i.index);
    logs[k]!.finish();
    const blob = ctx.rng.uuid();
    const sha1 = createHash('sha1').update(blob).digest('hex');
    ctx.result(
      `${JSON.stringify({
        instance: { group: i.group, id: i.id },
        errand_name: req.name,
        exit_code: outcome.exitCode,
        stdout: outcome.stdout,
        stderr: outcome.stderr,
        logs: { blobstore_id: blob, sha1 },
      })}\n`,
    );
    ctx.audit({ ...event(i), parentId: parents[k]!, context: { exit_code: outcome.exitCode } });
    codes.push(outcome.exitCode);
  }
  return codes;
}
