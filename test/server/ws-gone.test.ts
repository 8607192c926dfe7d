/**
 * A WebSocket client that vanishes mid-write is not the gateway's fault: its failed sends are
 * dropped quietly (graphql-ws would log each with a stack trace), while any other failure still
 * reaches graphql-ws.
 */
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { quietWhenGone } from '../../src/server/ws.js';

type Done = (error?: Error) => void;

/** A socket whose every send fails with `code`, as `ws` reports a write to a reset connection. */
function failingSocket(code: string): WebSocket {
  return {
    send(_data: unknown, ...rest: unknown[]) {
      (rest.at(-1) as Done)(Object.assign(new Error(`write ${code}`), { code }));
    },
  } as unknown as WebSocket;
}

function sendThrough(socket: WebSocket, ...options: unknown[]): Promise<Error | undefined> {
  return new Promise((resolve) => (socket.send as (...args: unknown[]) => void)('{}', ...options, resolve));
}

describe('quietWhenGone', () => {
  it('turns the write errors of a client that is gone into success', async () => {
    for (const code of ['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']) {
      const socket = failingSocket(code);
      expect(await sendThrough(socket)).toBeInstanceOf(Error);
      quietWhenGone(socket);
      expect(await sendThrough(socket)).toBeUndefined();
      expect(await sendThrough(socket, { binary: false })).toBeUndefined();
    }
  });

  it('passes every other failure on', async () => {
    const socket = failingSocket('EINVAL');
    quietWhenGone(socket);
    expect((await sendThrough(socket))?.message).toBe('write EINVAL');
  });

  it('sends what it is given, with its options', () => {
    const sent: unknown[][] = [];
    const socket = { send: (...args: unknown[]) => sent.push(args) } as unknown as WebSocket;
    quietWhenGone(socket);
    socket.send('frame', { binary: false });
    expect(sent).toEqual([['frame', { binary: false }]]);
  });
});
