/**
 * Work that runs side by side inside a task (package compilation, VM creation, a batch of
 * instance updates). Each lane is a list of steps, each step writes one record; every tick runs
 * the next step of every lane in the batch, so records of parallel work interleave in the event
 * log as they do on a real Director.
 */
import type { JobContext, JobStep } from '../tasks.js';
import type { Instance } from '../types.js';

export type Lane = (() => void)[];

export function* runLanes(lanes: Lane[]): Generator<JobStep, void, void> {
  const longest = Math.max(0, ...lanes.map((l) => l.length));
  for (let i = 0; i < longest; i++) {
    for (const lane of lanes) lane[i]?.();
    yield;
  }
}

/** Splits items into batches of `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) out.push(items.slice(i, i + Math.max(1, size)));
  return out;
}

/** One line of the external CPI log, in the shape the Director writes it. */
export function cpiLine(timeMs: number, text: string): string {
  const d = new Date(timeMs)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' +0000');
  return `[external-cpi] [${d}] ${text}`;
}

/** Instances deleted at once, in a deploy's clean-up and in a deployment delete. */
const DELETE_PARALLEL = 5;

/**
 * A stage that deletes instances a batch at a time: each step starts (deleting its VM), then
 * finishes (deleting its persistent disk too, when `withDisks`). Shared by "Deleting unneeded
 * instances" (deploy) and "Deleting instances" (delete deployment).
 */
export function* deleteInstancesStage(
  ctx: JobContext,
  stageName: string,
  instances: readonly Instance[],
  withDisks: boolean,
): Generator<JobStep, void, void> {
  if (instances.length === 0) return;
  const stage = ctx.events.stage(stageName, [], instances.length);
  for (const batch of chunks(instances, DELETE_PARALLEL)) {
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
            if (withDisks && i.diskCid)
              ctx.cpi(cpiLine(ctx.now(), `request: {"method":"delete_disk","arguments":["${i.diskCid}"]}`));
            t?.finish();
          },
        ];
      }),
    );
  }
}
