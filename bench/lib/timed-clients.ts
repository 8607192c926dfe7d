/**
 * Timed subscribers and child processes for the process-level benchmarks (fanout, replicas): each
 * record's receipt time is taken as its bytes arrive, before any parsing, and its cursor gives
 * the byte offset it ends at, to match it with the moment the Director wrote it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { rawPost } from '../../test/helpers/raw-post.js';

const CURSOR = /"cursor":"([^"]+)"/;

export interface Child {
  process: ChildProcess;
  ask<T>(message: Record<string, unknown>, answer: string): Promise<T>;
}

export function child(
  script: string,
  args: string[] = [],
): Promise<{ child: Child; ready: { url: string } }> {
  const proc = fork(fileURLToPath(new URL(script, new URL('../', import.meta.url))), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(message: Record<string, unknown>, answer: string) =>
    new Promise<T>((resolve) => {
      const listener = (reply: { kind: string }) => {
        if (reply.kind !== answer) return;
        proc.off('message', listener);
        resolve(reply as T);
      };
      proc.on('message', listener);
      proc.send(message);
    });
  return new Promise((resolve, reject) => {
    proc.once('message', (ready: { kind: string; url: string }) =>
      resolve({ child: { process: proc, ask }, ready }),
    );
    proc.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
}

export interface Received {
  /** [byte offset just past the record, receipt time] for every record. */
  records: [number, number][];
  completed: boolean;
}

export function offsetOf(cursor: string): number {
  return Number(Buffer.from(cursor, 'base64url').toString('utf8').split(':')[3]);
}

/** GraphQL over SSE; each record's receipt time is taken when its chunk arrives, before parsing. */
export async function sse(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  auth: string,
  out: Received,
) {
  let buffer = '';
  await rawPost(
    url,
    { query, variables },
    {
      headers: { accept: 'text/event-stream', authorization: auth },
      onChunk(chunk, now) {
        buffer += chunk;
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end < 0) break;
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: complete')) out.completed = true;
          const cursor = CURSOR.exec(block)?.[1];
          if (cursor) out.records.push([offsetOf(cursor), now]);
        }
      },
    },
  );
}

/**
 * graphql-transport-ws by hand over `ws` (connection_init, subscribe, next, complete): the receipt
 * time is taken before any parsing, so a thousand clients in this process add little queueing.
 */
export function ws(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  auth: string,
  out: Received,
) {
  return new Promise<void>((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: auth } })),
    );
    socket.on('message', (data: Buffer) => {
      const now = Date.now();
      const text = data.toString('utf8');
      if (text.startsWith('{"id":"1","type":"next"')) {
        const cursor = CURSOR.exec(text)?.[1];
        if (cursor) out.records.push([offsetOf(cursor), now]);
        return;
      }
      const message = JSON.parse(text) as { type: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      } else if (message.type === 'complete') {
        out.completed = true;
        socket.close();
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      } else if (message.type === 'error' || message.type === 'next') {
        socket.close();
      }
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
