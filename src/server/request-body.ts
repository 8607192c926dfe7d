/**
 * Reads a POST body of declared, bounded length before yoga sees the request, and hands it over as
 * a Buffer on `req.body` (yoga's Node adapter takes a body already read as is). Left to the
 * adapter, the body is piped into a web stream whose pipeline (its end-of-stream listeners and
 * their closures) stays referenced for as long as the response lives: for an SSE subscriber,
 * kilobytes held for hours for a body of a few hundred bytes that was read at the start.
 *
 * A body without a length, or over the limit, is left to yoga, which answers it as before (413).
 */
import type { IncomingMessage } from 'node:http';

/** Resolves false when the client left before its body arrived: there is nothing to answer. */
export function readDeclaredBody(req: IncomingMessage, limit: number): Promise<boolean> {
  const declared = Number(req.headers['content-length']);
  if (req.method !== 'POST' || !Number.isSafeInteger(declared) || declared <= 0 || declared > limit)
    return Promise.resolve(true);
  return new Promise((resolve) => {
    const body = Buffer.allocUnsafe(declared);
    let length = 0;
    const done = (arrived: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(arrived);
    };
    const onData = (chunk: Buffer) => {
      // More than declared: Node's parser stops that, but never write past the buffer.
      if (length + chunk.length > declared) return done(false);
      chunk.copy(body, length);
      length += chunk.length;
    };
    const onEnd = () => {
      (req as IncomingMessage & { body?: Buffer }).body = body.subarray(0, length);
      done(length === declared);
    };
    const onClose = () => done(false);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
  });
}
