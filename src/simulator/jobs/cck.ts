/**
 * Cloud check (`jobs/cloud_check/*.rb`, `problem_scanner/*`, `problem_resolver.rb`).
 *
 * A scan takes the deployment lock without waiting, closes the deployment's open problems, then
 * looks at every VM (an agent that does not answer is `unresponsive_agent`, an instance that
 * should have a VM and has none `missing_vm`) and every persistent disk. Applying resolutions
 * runs one event-log task per problem; an unknown resolution fails that task, yet the problem
 * is marked resolved, and the whole task then fails with code 100.
 */
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import type { Deployment, Instance, Problem } from '../types.js';
import { newVm } from './apply.js';
import { cpiLine } from './lanes.js';

const LOCK_BUSY = 'Unable to get deployment lock, maybe a deployment is in progress. Try again later.';

/** Resolutions per problem type, the default first: `[name, plan]`. */
export const RESOLUTIONS: Record<Problem['type'], [string, string][]> = {
  unresponsive_agent: [
    ['ignore', 'Skip for now'],
    ['reboot_vm', 'Reboot VM'],
    ['recreate_vm_without_wait', 'Recreate VM without waiting for processes to start'],
    ['recreate_vm', 'Recreate VM and wait for processes to start'],
    ['delete_vm', 'Delete VM'],
    [
      'delete_vm_reference',
      'Delete VM reference (forceful; may need to manually delete VM from the Cloud to avoid IP conflicts)',
    ],
  ],
  missing_vm: [
    ['recreate_vm_without_wait', 'Recreate VM without waiting for processes to start'],
    ['ignore', 'Skip for now'],
    ['recreate_vm', 'Recreate VM and wait for processes to start'],
    ['delete_vm_reference', 'Delete VM reference'],
  ],
};

export function problemToWire(p: Problem): Record<string, unknown> {
  return {
    id: p.id,
    type: p.type,
    data: p.data,
    description: p.description,
    resolutions: RESOLUTIONS[p.type].map(([name, plan]) => ({ name, plan })),
    instance_group: p.instanceGroup,
  };
}

function findProblems(d: Deployment): { instance: Instance; type: Problem['type'] }[] {
  const found: { instance: Instance; type: Problem['type'] }[] = [];
  for (const i of d.instances) {
    if (i.ignore) continue;
    if (i.vm?.unresponsive) found.push({ instance: i, type: 'unresponsive_agent' });
    else if (!i.vm && i.expectsVm && i.state !== 'detached') found.push({ instance: i, type: 'missing_vm' });
  }
  return found;
}

function describe(i: Instance, type: Problem['type']): string {
  const cid = i.vm ? ` with cloud ID '${i.vm.cid}'` : '';
  const name = `${i.group}/${i.id} (${i.index})`;
  return type === 'unresponsive_agent'
    ? `VM for '${name}'${cid} is not responding.`
    : `VM for '${name}'${cid} missing.`;
}

/** The scan, shared by `scan cloud` and `scan and fix`. */
function* scan(ctx: JobContext, d: Deployment): Generator<undefined, void, void> {
  for (const p of ctx.state.problems) if (p.deployment === d.name && p.state === 'open') p.state = 'closed';
  const withVm = d.instances.filter((i) => i.vm);
  const vmStage = ctx.events.stage(`Scanning ${withVm.length} VMs`, [], 2);
  let t = vmStage.start('Checking VM states');
  yield;
  t.finish();
  const found = findProblems(d);
  for (const { instance, type } of found) {
    ctx.state.problems.push({
      id: ctx.state.nextProblemId(),
      deployment: d.name,
      type,
      instanceId: instance.id,
      instanceGroup: instance.group,
      data: {},
      description: describe(instance, type),
      state: 'open',
      createdAt: ctx.now(),
    });
  }
  const unresponsive = found.filter((f) => f.type === 'unresponsive_agent').length;
  const missing = found.filter((f) => f.type === 'missing_vm').length;
  const ignored = d.instances.filter((i) => i.ignore).length;
  t = vmStage.start(
    `${withVm.length - unresponsive} OK, ${unresponsive} unresponsive, ${missing} missing, 0 unbound${ignored > 0 ? `, ${ignored} ignored` : ''}`,
  );
  t.finish();
  const disks = d.instances.filter((i) => i.diskCid);
  const diskStage = ctx.events.stage(`Scanning ${disks.length} persistent disks`, [], 2);
  t = diskStage.start('Looking for inactive disks');
  yield;
  t.finish();
  diskStage.start(`${disks.length} OK, 0 missing, 0 inactive, 0 mount-info mismatch`).finish();
}

export function* scanJob(ctx: JobContext, deployment: string): Job {
  if (ctx.state.lockOf(deployment)) throw new TaskFailure(100, LOCK_BUSY);
  yield { lock: deployment, timeoutMs: 0 };
  const d = ctx.state.deployments.get(deployment);
  if (!d) throw new TaskFailure(70000, `Deployment '${deployment}' doesn't exist`);
  yield* scan(ctx, d);
  return 'scan complete';
}

/** Applies one resolution to the instance of a problem; throws for an unknown one. */
function resolve(ctx: JobContext, d: Deployment, p: Problem, resolution: string): void {
  const i = d.instances.find((x) => x.id === p.instanceId);
  if (!RESOLUTIONS[p.type].some(([name]) => name === resolution)) {
    throw new Error(`Invalid resolution '${resolution}' for problem ${p.type}`);
  }
  if (!i || resolution === 'ignore') return;
  const drop = () => {
    if (i.vm) for (const ip of i.vm.ips) ctx.state.releaseIp(ip);
    i.vm = null;
  };
  if (resolution === 'reboot_vm' && i.vm) i.vm.unresponsive = false;
  if (resolution === 'delete_vm' || resolution === 'delete_vm_reference') {
    if (resolution === 'delete_vm' && i.vm)
      ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.vm.cid}"]}`));
    drop();
  }
  if (resolution === 'recreate_vm' || resolution === 'recreate_vm_without_wait') {
    if (i.vm) ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.vm.cid}"]}`));
    drop();
    i.vm = newVm(ctx, i.az);
  }
}

export function* applyResolutionsJob(ctx: JobContext, deployment: string, resolutions: unknown): Job {
  if (typeof resolutions !== 'object' || resolutions === null || Array.isArray(resolutions)) {
    const cls =
      resolutions === undefined || resolutions === null
        ? 'NilClass'
        : Array.isArray(resolutions)
          ? 'Array'
          : 'String';
    throw new TaskFailure(410003, `Invalid format for resolutions, Hash expected, ${cls} is given`);
  }
  yield { lock: deployment };
  const d = ctx.state.deployments.get(deployment);
  if (!d) throw new TaskFailure(70000, `Deployment '${deployment}' doesn't exist`);
  const chosen = resolutions as Record<string, unknown>;
  const problems = ctx.state.problems.filter((p) => p.deployment === deployment && String(p.id) in chosen);
  const stage = ctx.events.stage('Applying problem resolutions', [], problems.length);
  const errors: string[] = [];
  let resolved = 0;
  for (const p of problems) {
    if (p.state !== 'open') {
      const t = stage.start(`Ignoring problem ${p.id} (state is '${p.state}')`);
      yield;
      t.finish();
      continue;
    }
    const asked = chosen[String(p.id)];
    const name = asked === null || asked === undefined ? RESOLUTIONS[p.type][0]![0] : String(asked);
    const plan = RESOLUTIONS[p.type].find(([n]) => n === name)?.[1] ?? name;
    const t = stage.start(`${p.description} (${p.type} ${p.instanceId}): ${plan}`);
    yield;
    try {
      resolve(ctx, d, p, name);
      t.finish();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      t.fail(message);
      errors.push(`Error resolving problem '${p.id}': ${message}`);
    }
    p.state = 'resolved';
    resolved += 1;
  }
  if (errors.length > 0) throw new TaskFailure(100, errors.join('\n'));
  return `${resolved} resolved`;
}

/** `scan and fix` (the resurrector's): recreate VMs of unresponsive or missing listed instances. */
export function* scanAndFixJob(ctx: JobContext, deployment: string, jobs: [string, number][]): Job {
  if (ctx.state.lockOf(deployment)) throw new TaskFailure(100, LOCK_BUSY);
  yield { lock: deployment, timeoutMs: 0 };
  const d = ctx.state.deployments.get(deployment);
  if (!d) throw new TaskFailure(70000, `Deployment '${deployment}' doesn't exist`);
  yield* scan(ctx, d);
  const listed = (i: Instance) => jobs.some(([g, index]) => g === i.group && index === i.index);
  const fixable = ctx.state.problems.filter((p) => {
    const i = d.instances.find((x) => x.id === p.instanceId);
    return p.deployment === deployment && p.state === 'open' && i && listed(i) && !i.ignore && !i.diskCid;
  });
  const stage = ctx.events.stage('Applying problem resolutions', [], fixable.length);
  for (const p of fixable) {
    const t = stage.start(
      `${p.description} (${p.type} ${p.instanceId}): Recreate VM and wait for processes to start`,
    );
    yield;
    resolve(ctx, d, p, 'recreate_vm');
    p.state = 'resolved';
    t.finish();
  }
  return 'scan and fix complete';
}
