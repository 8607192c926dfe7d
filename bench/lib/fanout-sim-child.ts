/**
 * The fan-out benchmark's Director: a simulator in a process of its own on a paused clock. The
 * parent starts a deploy, connects its subscribers while nothing happens (the idle phase), then
 * lets the clock run in real time. Every millisecond or so this process notes when the task's
 * event log grew, so each record's write time is known on the machine's one clock.
 *
 * Messages (IPC): {start} -> {taskId}; {run} -> starts the clock; {writes} -> {writes: [[end, ms]]}
 */

import { ManualClock, startSimulator } from '../../src/simulator/index.js';
import { deployManifest } from '../../test/helpers/manifests.js';

const clock = new ManualClock();
const sim = await startSimulator({
  host: '127.0.0.1',
  port: 0,
  tls: false,
  auth: 'basic',
  tickMs: 100,
  clock,
});
let taskId = 0;
const writes: [number, number][] = [];
let sampler: NodeJS.Timeout | undefined;

function sample(): void {
  const length = Buffer.byteLength(sim.tasks.eventOutput(taskId), 'utf8');
  const last = writes.at(-1)?.[0] ?? 0;
  if (length > last) writes.push([length, Date.now()]);
}

process.on('message', (message: { kind: string }) => {
  if (message.kind === 'start') {
    taskId = sim.tasks.startDeploy(deployManifest('fanout', 4, 3));
    process.send?.({ kind: 'started', taskId });
  } else if (message.kind === 'run') {
    let last = Date.now();
    sampler = setInterval(() => {
      const now = Date.now();
      void clock.advance(now - last).then(sample);
      last = now;
    }, 2);
  } else if (message.kind === 'writes') {
    sample();
    process.send?.({ kind: 'writes', writes, state: sim.tasks.get(taskId)?.state });
  } else if (message.kind === 'requests') {
    const count = (path: string) => sim.requests.count({ method: 'GET', path });
    process.send?.({
      kind: 'requests',
      task: count(`/tasks/${taskId}`),
      output: count(`/tasks/${taskId}/output`),
      all: sim.requests.count(),
    });
  } else if (message.kind === 'stop') {
    if (sampler) clearInterval(sampler);
    void sim.stop().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url: sim.url });
