/**
 * The `update_deployment` job (`bosh deploy`). Event log, in order:
 *  Preparing deployment → Preparing package compilation → Compiling packages (when needed) →
 *  Creating missing vms → Updating instance (per instance group, canaries first, then batches of
 *  max_in_flight, tags `[<ig>]`, tasks `<ig>/<uuid> (<index>)[ (canary)]`) → Deleting unneeded
 *  instances. The deployment changes only when the whole deploy succeeds.
 *
 * A group whose manifest sets `env.bosh.simulate_failure: true`, or a job property
 * `simulate_failure: true`, fails on its first canary with 400007 `'<ig>/<uuid> (<i>)' is not
 * running after update`.
 */
import type { ManifestDoc } from '../manifest.js';
import type { ConfigIds } from '../operations.js';
import type { Job, JobContext, JobStep } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import type { Vm } from '../types.js';
import { applyPlan, newVm } from './apply.js';
import { audited } from './audited.js';
import { chunks, cpiLine, deleteInstancesStage, type Lane, runLanes } from './lanes.js';
import {
  type DeployPlan,
  type PlannedGroup,
  type PlannedInstance,
  type PlanOptions,
  planDeploy,
} from './plan.js';

export interface DeployRequest {
  name: string;
  manifestText: string;
  doc: ManifestDoc;
  dryRun: boolean;
  options: PlanOptions;
  /** Teams a brand-new deployment gets (the deployer's admin teams). */
  teams: string[];
  /** The deployment did not exist when the deploy was asked for: its events say `create`. */
  isNew?: boolean;
  /** The configs deployed with, recorded on the deployment when the deploy succeeds. */
  configs?: ConfigIds;
}

/** in_progress statuses of an instance that already ran, and of a brand-new one. */
const UPDATE_STATUSES = [
  'executing pre-stop',
  'executing drain',
  'stopping jobs',
  'executing post-stop',
  'installing packages',
  'configuring jobs',
  'executing pre-start',
  'starting jobs',
  'executing post-start',
];
const NEW_STATUSES = [
  'installing packages',
  'configuring jobs',
  'executing pre-start',
  'starting jobs',
  'executing post-start',
];
const COMPILE_WORKERS = 4;
const VM_CREATE_PARALLEL = 5;

function* compilePackages(ctx: JobContext, plan: DeployPlan): Generator<JobStep, void, void> {
  const prep = ctx.events.stage('Preparing package compilation', [], 1).start('Finding packages to compile');
  yield;
  prep.finish();
  if (plan.compile.length === 0) return;
  const stage = ctx.events.stage('Compiling packages', [], plan.compile.length);
  for (const batch of chunks(plan.compile, COMPILE_WORKERS)) {
    yield* runLanes(
      batch.map((pkg): Lane => {
        let t: ReturnType<typeof stage.start> | undefined;
        return [
          () => {
            t = stage.start(pkg.task);
            ctx.debug(`Compiling package ${pkg.task} (${pkg.key})`);
          },
          () => ctx.debug(`Package ${pkg.task} compiled, uploading to blobstore`),
          () => t?.finish(),
        ];
      }),
    );
  }
}

function* createVms(
  ctx: JobContext,
  plan: DeployPlan,
  ids: Map<string, string>,
  vms: Map<string, Vm>,
): Generator<JobStep, void, void> {
  const wanted = plan.groups.flatMap((g) => g.instances.filter((i) => i.needsVm).map((i) => ({ g, i })));
  if (wanted.length === 0) return;
  const stage = ctx.events.stage('Creating missing vms', [], wanted.length);
  for (const batch of chunks(wanted, VM_CREATE_PARALLEL)) {
    yield* runLanes(
      batch.map(({ g, i }): Lane => {
        const key = `${i.group}/${i.index}`;
        let t: ReturnType<typeof stage.start> | undefined;
        return [
          () => {
            t = stage.start(`${i.group}/${ids.get(key)} (${i.index})`);
            const vm = newVm(ctx, i.az);
            vms.set(key, vm);
            ctx.cpi(
              cpiLine(
                ctx.now(),
                `request: {"method":"create_vm","arguments":["${vm.agentId}","${g.stemcell.cid}",{"vm_type":"${g.vmType ?? ''}"},{"default":{"ip":"${vm.ips[0]}"}}],"context":{"director_uuid":"${ctx.state.uuid}"}}`,
              ),
            );
          },
          () => {
            const vm = vms.get(key)!;
            ctx.cpi(
              cpiLine(
                ctx.now(),
                `response: {"result":"${vm.cid}","error":null,"log":""}, err: , exit_status: pid 31337 exit 0`,
              ),
            );
            t?.finish();
          },
        ];
      }),
    );
  }
}

const STOP_STATUSES = ['executing pre-stop', 'executing drain', 'stopping jobs', 'executing post-stop'];
const START_STATUSES = ['executing pre-start', 'starting jobs', 'executing post-start'];

/** The in_progress statuses of one instance's update, by what the update does. */
function statusesFor(i: PlannedInstance, fresh: boolean, skipDrain: boolean): string[] {
  let list: string[];
  if (i.action === 'stop') list = STOP_STATUSES;
  else if (i.action === 'start') list = fresh ? NEW_STATUSES : START_STATUSES;
  else if (i.action === 'restart') list = [...STOP_STATUSES, ...START_STATUSES];
  else list = fresh ? NEW_STATUSES : UPDATE_STATUSES;
  // An instance that ends stopped or detached is not started again.
  if (i.desired !== 'started') list = list.filter((s) => !START_STATUSES.includes(s));
  return skipDrain ? list.filter((s) => s !== 'executing drain') : list;
}

function* updateGroup(
  ctx: JobContext,
  req: DeployRequest,
  g: PlannedGroup,
  ids: Map<string, string>,
): Generator<JobStep, void, void> {
  const changed = g.instances.filter((i) => i.changed);
  if (changed.length === 0) return;
  const stage = ctx.events.stage('Updating instance', [g.name], changed.length);
  const canaries = changed.slice(0, g.canaries);
  const batches = [canaries, ...chunks(changed.slice(g.canaries), g.maxInFlight)].filter((b) => b.length > 0);
  const skipDrain = req.options.skipDrain === '*' || req.options.skipDrain === g.name;
  let failure: TaskFailure | undefined;
  for (const [b, batch] of batches.entries()) {
    yield* runLanes(
      batch.map((i, k): Lane => {
        const canary = b === 0;
        const uuid = ids.get(`${i.group}/${i.index}`) ?? '';
        const name = `${g.name}/${uuid} (${i.index})`;
        const fresh = !i.existing?.vm || i.needsVm;
        const failing = g.fail && canary && k === 0;
        const statuses = statusesFor(i, fresh, skipDrain);
        const cut = statuses.indexOf('starting jobs');
        const shown = failing && cut >= 0 ? statuses.slice(0, cut + 1) : statuses;
        const event = {
          action: i.action,
          objectType: 'instance',
          objectName: `${g.name}/${uuid}`,
          deployment: req.name,
          instance: `${g.name}/${uuid}`,
        };
        let parentId: number | null = null;
        let t: ReturnType<typeof stage.start> | undefined;
        const lane: Lane = [
          () => {
            t = stage.start(`${name}${canary ? ' (canary)' : ''}`);
            const context =
              i.action === 'start' || i.action === 'stop' || i.action === 'restart'
                ? {}
                : {
                    ...(i.az ? { az: i.az } : {}),
                    ...(i.action === 'create' ? {} : { changes: ['configuration'] }),
                  };
            parentId = ctx.audit({ ...event, context });
            ctx.debug(
              `Updating instance ${name}, changes: ${fresh ? 'vm, packages, configuration' : 'configuration'}`,
            );
          },
          ...shown.map((status, n) => () => {
            t?.progress(status, ((n + 1) * 100) / (statuses.length + 1));
            ctx.debug(`Instance ${name}: ${status}`);
          }),
        ];
        if (failing) {
          lane.push(() => {
            const message = `'${name}' is not running after update. Review logs for failed jobs: ${g.jobs.join(', ')}`;
            t?.fail(message);
            ctx.audit({ ...event, parentId, error: message });
            ctx.debug(`Instance ${name} failed: ${message}`, 'ERROR');
            failure = new TaskFailure(400007, message);
          });
        } else {
          lane.push(() => {
            if (i.desired === 'detached' && i.existing?.vm) {
              ctx.cpi(
                cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.existing.vm.cid}"]}`),
              );
            }
            t?.finish();
            ctx.audit({ ...event, parentId });
          });
        }
        return lane;
      }),
    );
    if (failure) throw failure;
  }
}

/** `<release>/<version>` and `<stemcell>/<version>` lists of the deploy events' context. */
function deployedObjects(
  releases: { name: string; version: string }[],
  stemcells: { name: string; version: string }[],
) {
  const out: Record<string, string[]> = {};
  if (releases.length > 0) out.releases = releases.map((r) => `${r.name}/${r.version}`);
  if (stemcells.length > 0) out.stemcells = stemcells.map((s) => `${s.name}/${s.version}`);
  return out;
}

/**
 * The deploy, between its audit events (`update_deployment.rb:159-172, 425-432, 481-488`): the
 * parent event is created lazily, right before the end event, which carries the releases and
 * stemcells before and after. A dry run that succeeds writes none.
 */
export function* deployJob(ctx: JobContext, req: DeployRequest): Job {
  if (req.dryRun) return yield* deploySteps(ctx, req, () => undefined);
  const previous = ctx.state.deployments.get(req.name);
  const before = deployedObjects(previous?.releases ?? [], previous?.stemcells ?? []);
  let after: Record<string, string[]> = {};
  return yield* audited(
    ctx,
    {
      action: req.isNew ? 'create' : 'update',
      objectType: 'deployment',
      objectName: req.name,
      deployment: req.name,
    },
    deploySteps(ctx, req, (plan) => {
      after = deployedObjects(plan.releases, plan.stemcells);
    }),
    { endContext: () => ({ before, after }) },
  );
}

function* deploySteps(ctx: JobContext, req: DeployRequest, planned: (plan: DeployPlan) => void): Job {
  yield { lock: req.name };
  const prep = ctx.events.stage('Preparing deployment', [], 1).start('Preparing deployment');
  ctx.debug(`Deployment name: '${req.name}'`);
  yield;
  let plan: DeployPlan;
  try {
    plan = planDeploy(ctx.state, req.name, req.doc, req.options);
  } catch (err) {
    prep.fail(err instanceof Error ? err.message : String(err));
    throw err;
  }
  prep.finish();
  planned(plan);
  ctx.debug(`Resolved releases: ${plan.releases.map((r) => `${r.name}/${r.version}`).join(', ')}`);
  if (req.dryRun) return `/deployments/${req.name}`;
  for (const message of plan.deprecations) ctx.events.deprecation(message);
  for (const message of plan.warnings) ctx.events.warning(message);
  const ids = new Map<string, string>();
  for (const g of plan.groups) {
    for (const i of g.instances) ids.set(`${i.group}/${i.index}`, i.existing?.id ?? ctx.rng.uuid());
  }
  yield* compilePackages(ctx, plan);
  const vms = new Map<string, Vm>();
  let applied = false;
  try {
    yield* createVms(ctx, plan, ids, vms);
    for (const g of plan.groups) yield* updateGroup(ctx, req, g, ids);
    yield* deleteInstancesStage(ctx, 'Deleting unneeded instances', plan.obsolete, false);
    applyPlan(ctx, req, plan, ids, vms);
    applied = true;
  } finally {
    // Failed or cancelled: the deployment keeps what it had, and the new VMs' addresses are freed.
    if (!applied) for (const vm of vms.values()) for (const ip of vm.ips) ctx.state.releaseIp(ip);
  }
  return `/deployments/${req.name}`;
}
