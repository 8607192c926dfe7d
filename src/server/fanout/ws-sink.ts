/**
 * A WebSocket member's sink (docs/task-stream.md section 11): the records of a flush go to the
 * socket as graphql-ws `next` messages built from the payload JSON made once for every member, all
 * of a flush framed into one buffer and written at once: one write per member per poll round.
 *
 * The frames are made here rather than by `ws` (it would frame and write each message on its own):
 * unmasked text frames, as a server sends them, written between `ws`'s own whole frames (it writes
 * each frame in one synchronous step), on a server without per-message compression. graphql-ws
 * still owns the operation: its read of the member ends when the member does, and it then sends
 * `complete` itself.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { type Sink, tooSlow } from './hub.js';
import { type Serialized, serialize } from './serialize.js';

/** Bytes a WebSocket client may leave unread before its subscription is ended. */
const MAX_UNREAD_BYTES = 8 * 1024 * 1024;
const SUFFIX = Buffer.from('}');

/** The head of an unmasked, final text frame of `length` payload bytes (RFC 6455 §5.2). */
function frameHead(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) {
    const head = Buffer.allocUnsafe(4);
    head[0] = 0x81;
    head[1] = 126;
    head.writeUInt16BE(length, 2);
    return head;
  }
  const head = Buffer.allocUnsafe(10);
  head[0] = 0x81;
  head[1] = 127;
  head.writeBigUInt64BE(BigInt(length), 2);
  return head;
}

export function webSocketSink(socket: WebSocket, id: string): Sink {
  const prefix = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
  const frames = (records: readonly Serialized[]): Buffer => {
    const parts: Buffer[] = [];
    for (const record of records) {
      parts.push(frameHead(prefix.length + record.jsonBytes.length + 1), prefix, record.jsonBytes, SUFFIX);
    }
    return Buffer.concat(parts);
  };
  return {
    write(records) {
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      if (!raw || socket.readyState !== socket.OPEN) return true;
      if (raw.writableLength > MAX_UNREAD_BYTES) {
        raw.write(frames([serialize(tooSlow())]));
        return false;
      }
      raw.write(frames(records));
      return true;
    },
    // graphql-ws sends `complete` once its read of the member ends.
    end() {},
  };
}
