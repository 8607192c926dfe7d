/** Starts bench/lib/sim-child.ts as a child process and talks to its control endpoint. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SimProcess {
  url: string;
  /** Director requests the simulator logged, in all and by "METHOD path". */
  requests(): Promise<{ count: number; summary: Record<string, number> }>;
  resetRequests(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimProcess(tickMs: number): Promise<SimProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./sim-child.ts', import.meta.url)), String(tickMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited (${code}) before it listened`)));
  });
  return {
    url,
    async requests() {
      const all = (await (await fetch(`${url}/_simulator/requests`)).json()) as {
        count: number;
        summary: Record<string, number>;
      };
      return { count: all.count, summary: all.summary };
    },
    async resetRequests() {
      await fetch(`${url}/_simulator/requests/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
