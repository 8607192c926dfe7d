/**
 * The Director of the fan-out and replicas benchmarks: a simulator in a process of its own on a
 * paused clock. The parent starts a deploy, connects its subscribers while nothing happens (the
 * idle phase), then lets the clock run in real time. Every millisecond or so this process notes
 * when the task's event log grew, so each record's write time is known on the machine's one
 * clock; it also tells when each task and output read came, and how many bytes of the log it sent.
 *
 * Messages (IPC): {start, name, groups, instances} -> {taskId}; {run} -> starts the clock;
 * {writes} -> {writes, state}; {requests} -> {task, output, all} (counts);
 * {log} -> {task: [ms], output: [ms], outputBytes, logBytes}; {stop}
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
/** Simulator time minus machine time, once the clock runs in step with the machine's. */
let skew = 0;
let runAt = 0;
/** Task reads before the clock ran: the subscribers' authorization reads. */
let taskBeforeRun = 0;

function sample(): void {
  const length = Buffer.byteLength(sim.tasks.eventOutput(taskId), 'utf8');
  const last = writes.at(-1)?.[0] ?? 0;
  if (length > last) writes.push([length, Date.now()]);
}

interface Message {
  kind: string;
  name?: string;
  groups?: number;
  instances?: number;
}

process.on('message', (message: Message) => {
  if (message.kind === 'start') {
    const manifest = deployManifest(message.name ?? 'timed', message.groups ?? 6, message.instances ?? 4);
    taskId = sim.tasks.startDeploy(manifest);
    process.send?.({ kind: 'started', taskId });
  } else if (message.kind === 'run') {
    let last = Date.now();
    skew = clock.now() - last;
    runAt = last;
    taskBeforeRun = sim.requests.count({ method: 'GET', path: `/tasks/${taskId}` });
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
  } else if (message.kind === 'log') {
    const times = (path: string) => sim.requests.list({ method: 'GET', path }).map((r) => r.time - skew);
    process.send?.({
      kind: 'log',
      task: times(`/tasks/${taskId}`),
      output: times(`/tasks/${taskId}/output`),
      outputBytes: sim.requests.bytes({ method: 'GET', path: `/tasks/${taskId}/output` }),
      logBytes: Buffer.byteLength(sim.tasks.eventOutput(taskId), 'utf8'),
      runAt,
      taskBeforeRun,
    });
  } else if (message.kind === 'stop') {
    if (sampler) clearInterval(sampler);
    void sim.stop().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url: sim.url });
