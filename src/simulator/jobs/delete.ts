/**
 * The `delete_deployment` job (`bosh delete-deployment`): Deleting instances, Removing
 * deployment artifacts (detaching stemcells and releases), Deleting properties. The row goes away
 * at the end; tasks that belonged to it stay (and keep their teams).
 */
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import { audited } from './audited.js';
import { deleteInstancesStage } from './lanes.js';

/** The delete, between its start and end audit events (`delete_deployment.rb:19-60`). */
export function deleteDeploymentJob(ctx: JobContext, name: string): Job {
  return audited(
    ctx,
    { action: 'delete', objectType: 'deployment', objectName: name, deployment: name },
    deleteSteps(ctx, name),
    { eager: true },
  );
}

function* deleteSteps(ctx: JobContext, name: string): Job {
  yield { lock: name };
  const d = ctx.state.deployments.get(name);
  if (!d) throw new TaskFailure(70000, `Deployment '${name}' doesn't exist`);
  ctx.debug(`Deleting deployment '${name}'`, 'INFO');
  yield* deleteInstancesStage(ctx, 'Deleting instances', d.instances, true);
  const artifacts = ctx.events.stage('Removing deployment artifacts', [], 2);
  for (const what of ['Detaching stemcells', 'Detaching releases']) {
    const t = artifacts.start(what);
    yield;
    t.finish();
  }
  const props = ctx.events.stage('Deleting properties', [], 1).start('Destroying deployment');
  yield;
  for (const i of d.instances) for (const ip of i.vm?.ips ?? []) ctx.state.releaseIp(ip);
  ctx.state.deployments.delete(name);
  props.finish();
  return `/deployments/${name}`;
}
