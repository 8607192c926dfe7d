/**
 * The parts every per-operation loader is made of (loaders.ts, operation-loaders.ts): a call
 * memoised for the operation, a DataLoader of one Director call per key, and an object whose
 * loaders are each made on first use. An operation reads a handful of the two dozen loaders, so
 * making only those keeps a request (and each pushed subscription result) from building the rest.
 */
import DataLoader from 'dataloader';
import { isNotFound } from './errors.js';

/** Memoises a call for the life of the loaders (one operation). */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load();
    return pending;
  };
}

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The answer of `load`, or null when the Director has no such thing (NOT_FOUND). */
export async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/**
 * A loader whose keys are fetched one Director call each (the REST API has no batch endpoints),
 * concurrently, and each key at most once. Per-key failures stay per key, as dataloader expects.
 */
export function perKey<K, V, C = K>(
  load: (key: K) => Promise<V>,
  cacheKeyFn?: (key: K) => C,
): DataLoader<K, V, C> {
  return new DataLoader<K, V, C>(
    (keys) => Promise.all(keys.map((key) => load(key).catch((error: unknown) => toError(error)))),
    cacheKeyFn ? { cacheKeyFn } : {},
  );
}

/** How each field of `T` is made, from the object's argument and the object itself (for siblings). */
export type FieldBuilders<T, A> = { readonly [K in keyof T]-?: (arg: A, self: T) => T[K] };

const ARG = Symbol('arg');

/**
 * A maker of objects whose fields are each built on first read, at most once per object. The
 * getters live on a shared prototype, so copying a context that holds such an object (yoga does)
 * builds nothing, and making one costs a single allocation.
 */
export function lazyFields<T extends object, A>(builders: FieldBuilders<T, A>): (arg: A) => T {
  class Fields {
    readonly [ARG]: A;
    constructor(arg: A) {
      this[ARG] = arg;
    }
  }
  for (const key of Object.keys(builders) as (keyof T & string)[]) {
    Object.defineProperty(Fields.prototype, key, {
      get(this: Fields) {
        const value = builders[key](this[ARG], this as unknown as T);
        Object.defineProperty(this, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return (arg) => new Fields(arg) as unknown as T;
}
