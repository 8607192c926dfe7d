/**
 * Response compression: which coding a client accepts, and compressing a body once (GraphiQL) or
 * per answer (large JSON). Streams (SSE, multipart) are never compressed here: a compressor buffers,
 * and a subscription's events must leave as they happen.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Coding = 'br' | 'gzip';

/**
 * JSON answers smaller than this leave as they are: below about a kilobyte compression saves less
 * than a TCP packet and costs a compressor's setup on every answer (`{ __typename }` is 30 bytes, a
 * deployments page of a small Director about 1 KiB, a page of hundreds of VMs hundreds of KiB).
 */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * The coding to send for an `Accept-Encoding` header: brotli when it is accepted at least as much
 * as gzip, else gzip, else none. `q=0` refuses a coding; `*` stands for any coding not named.
 */
export function negotiateCoding(acceptEncoding: string | string[] | undefined): Coding | undefined {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding;
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isNaN(weight) ? 0 : weight);
  }
  const weight = (coding: Coding) => weights.get(coding) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gz = weight('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return undefined;
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * One answer, compressed off the event loop (zlib's thread pool). Brotli at quality 4 compresses
 * JSON better than gzip's default and about as fast; the highest qualities are for static assets.
 */
export function compressAnswer(body: Buffer, coding: Coding): Promise<Buffer> {
  return coding === 'br'
    ? brotliAsync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipAsync(body, { level: 6 });
}

/** A JSON answer as it leaves: its body, the coding it was compressed with (if any), and its Vary. */
export interface EncodedAnswer {
  body: Buffer;
  coding: Coding | undefined;
  /** True when a coding was negotiated: the answer then depends on Accept-Encoding. */
  varyEncoding: boolean;
}

/**
 * The one rule for JSON answers, on yoga's path (`useCompressedAnswers`) and the direct path
 * alike: compressed with the coding the client prefers when it is at least `COMPRESS_MIN_BYTES`,
 * else as it is; either way it varies with Accept-Encoding once a coding was negotiated.
 */
export async function encodeAnswer(
  body: Buffer,
  acceptEncoding: string | string[] | undefined,
): Promise<EncodedAnswer> {
  const coding = negotiateCoding(acceptEncoding);
  if (!coding || body.length < COMPRESS_MIN_BYTES) {
    return { body, coding: undefined, varyEncoding: coding !== undefined };
  }
  return { body: await compressAnswer(body, coding), coding, varyEncoding: true };
}

/** A static asset in every coding, compressed once, with a strong ETag each. */
export interface StaticAsset {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
  /** Strong validators, one per representation (a coding is a different representation). */
  etags: { identity: string; br: string; gzip: string };
}

/**
 * Compresses a static asset once, off the event loop. Brotli quality 6 with a 16 MiB window: for
 * GraphiQL's 9 MB, 1.9 MB in about 1.5 s, where quality 11 gives 1.7 MB in 27 s.
 */
export async function staticAsset(body: Buffer): Promise<StaticAsset> {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  const [br, gzipped] = await Promise.all([
    brotliAsync(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 6,
        [constants.BROTLI_PARAM_LGWIN]: 24,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipAsync(body, { level: 6 }),
  ]);
  return {
    identity: body,
    br,
    gzip: gzipped,
    etags: { identity: `"${hash}"`, br: `"${hash}-br"`, gzip: `"${hash}-gz"` },
  };
}

/** Whether an `If-None-Match` header names this ETag (or is `*`); weak comparison, as RFC 9110 asks. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
