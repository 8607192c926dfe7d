/**
 * The `update_instance` job behind `POST /deployments/{d}/instance_groups/{ig}/{id}/actions/*`
 * (`jobs/update_instance.rb`): a non-converging start, stop, restart or recreate of one instance,
 * with no manifest involved. One stage, `Updating instance <ig>/<uuid> (<i>)`, no tags, no total,
 * holding the steps that apply:
 *  - stop part (stop, restart, recreate): `Stopping instance` unless already stopped (and not
 *    hard) or detached; then `Deleting VM` when hard, leaving the instance detached;
 *  - start part (start, restart, recreate): `Creating VM` when it has none, then
 *    `Starting instance` when its state changes.
 * The result is `<ig>/<uuid>`. Events: `stop` and `start` on the instance, under a `restart` or
 * `recreate` parent event when one applies.
 */
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import type { Instance } from '../types.js';
import { newVm } from './apply.js';
import { instanceName } from './audited.js';
import { cpiLine } from './lanes.js';

export type InstanceAction = 'start' | 'stop' | 'restart' | 'recreate';

export interface InstanceActionRequest {
  deployment: string;
  instanceId: string;
  action: InstanceAction;
  skipDrain: boolean;
  hard: boolean;
}

export function* instanceActionJob(ctx: JobContext, req: InstanceActionRequest): Job {
  yield { lock: req.deployment };
  const i = ctx.state.deployments.get(req.deployment)?.instances.find((x) => x.id === req.instanceId);
  if (!i) throw new TaskFailure(70001, `Instance '${req.instanceId}' doesn't exist`);
  if (!i.expectsVm) {
    throw new TaskFailure(
      90000,
      `Isolated ${req.action} can not be run on instances of type errand. Try the bosh run-errand command.`,
    );
  }
  const name = instanceName(i);
  if (i.ignore) {
    throw new TaskFailure(
      190020,
      `You are trying to change the state of the ignored instance '${name}'.` +
        'This operation is not allowed. You need to unignore it first.',
    );
  }
  const stage = ctx.events.stage(`Updating instance ${name} (${i.index})`, [], null);
  const event = { objectType: 'instance', objectName: name, deployment: req.deployment, instance: name };
  const parent =
    req.action === 'restart' || req.action === 'recreate'
      ? ctx.audit({ ...event, action: req.action })
      : null;
  const hard = req.hard || req.action === 'recreate';
  let error: string | null = null;
  try {
    if (req.action !== 'start') yield* stopPart(ctx, i, stage, event, hard, req.skipDrain);
    if (req.action !== 'stop') yield* startPart(ctx, i, stage, event);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    throw err;
  } finally {
    if (parent !== null)
      ctx.audit({ ...event, action: req.action, parentId: parent, error: error ?? ctx.stopReason ?? null });
  }
  return name;
}

type Stage = ReturnType<JobContext['events']['stage']>;
type Event = { objectType: string; objectName: string; deployment: string; instance: string };

function* step(stage: Stage, label: string, statuses: string[], apply: () => void): Job {
  const t = stage.start(label);
  for (const [n, status] of statuses.entries()) {
    yield;
    t.progress(status, ((n + 1) * 100) / (statuses.length + 1));
  }
  yield;
  apply();
  t.finish();
  return '';
}

function* stopPart(
  ctx: JobContext,
  i: Instance,
  stage: Stage,
  event: Event,
  hard: boolean,
  skipDrain: boolean,
): Job {
  if ((i.state === 'stopped' && !hard) || i.state === 'detached') return '';
  const parent = ctx.audit({ ...event, action: 'stop' });
  const statuses = ['executing pre-stop', 'executing drain', 'stopping jobs', 'executing post-stop'].filter(
    (s) => !(skipDrain && s === 'executing drain'),
  );
  yield* step(stage, 'Stopping instance', statuses, () => {
    i.state = 'stopped';
  });
  ctx.audit({ ...event, action: 'stop', parentId: parent });
  if (hard) {
    yield* step(stage, 'Deleting VM', [], () => {
      if (i.vm) {
        ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.vm.cid}"]}`));
        for (const ip of i.vm.ips) ctx.state.releaseIp(ip);
      }
      i.vm = null;
      i.state = 'detached';
    });
  }
  return '';
}

function* startPart(ctx: JobContext, i: Instance, stage: Stage, event: Event): Job {
  if (!i.vm) {
    yield* step(stage, 'Creating VM', [], () => {
      i.vm = newVm(ctx, i.az);
      ctx.cpi(cpiLine(ctx.now(), `request: {"method":"create_vm","arguments":["${i.vm.agentId}"]}`));
    });
  }
  if (i.state === 'started') return '';
  const parent = ctx.audit({ ...event, action: 'start' });
  yield* step(
    stage,
    'Starting instance',
    ['executing pre-start', 'starting jobs', 'executing post-start'],
    () => {
      i.state = 'started';
    },
  );
  ctx.audit({ ...event, action: 'start', parentId: parent });
  return '';
}
