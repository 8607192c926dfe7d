/**
 * A server of the aggregator benchmark (the gateway or the aggregator) in a process of its own,
 * talking IPC: `ready` with its URL, `stats` with the CPU time it has used (`process.cpuUsage`,
 * read in that process), and `stop`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  url: string;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startServerProcess(
  script: string,
  args: readonly string[],
  options: { nodeArgs?: readonly string[]; env?: Record<string, string>; tsx?: boolean } = {},
): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL(script, import.meta.url)), [...args], {
    execArgv: [...(options.tsx === false ? [] : ['--import', 'tsx']), ...(options.nodeArgs ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (kind: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (message.kind !== kind) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null) => reject(new Error(`${script} exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = (await next('ready')) as { url: string };
  return {
    url,
    async cpuMs() {
      const reply = next('stats');
      child.send({ kind: 'stats' });
      const { cpu } = (await reply) as { cpu: NodeJS.CpuUsage };
      return (cpu.user + cpu.system) / 1000;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ kind: 'stop' });
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
