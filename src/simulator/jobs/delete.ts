/**
 * The `delete_deployment` job (`bosh delete-deployment`): Deleting instances, Removing
 * deployment artifacts (detaching stemcells and releases), Deleting properties. The row goes away
 * at the end; tasks that belonged to it stay (and keep their teams).
 */
import type { Job, JobContext } from '../tasks.js';
import { TaskFailure } from '../tasks.js';
import { chunks, cpiLine, type Lane, runLanes } from './lanes.js';

const DELETE_PARALLEL = 5;

export function* deleteDeploymentJob(ctx: JobContext, name: string): Job {
  yield { lock: name };
  const d = ctx.state.deployments.get(name);
  if (!d) throw new TaskFailure(70000, `Deployment '${name}' doesn't exist`);
  ctx.debug(`Deleting deployment '${name}'`, 'INFO');
  if (d.instances.length > 0) {
    const stage = ctx.events.stage('Deleting instances', [], d.instances.length);
    for (const batch of chunks(d.instances, DELETE_PARALLEL)) {
      yield* runLanes(
        batch.map((i): Lane => {
          let t: ReturnType<typeof stage.start> | undefined;
          return [
            () => {
              t = stage.start(`${i.group}/${i.id} (${i.index})`);
              if (i.vm)
                ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_vm","arguments":["${i.vm.cid}"]}`));
            },
            () => {
              if (i.diskCid)
                ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_disk","arguments":["${i.diskCid}"]}`));
              t?.finish();
            },
          ];
        }),
      );
    }
  }
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
