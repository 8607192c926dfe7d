/**
 * The minimal Reflect metadata API that `@peculiar/x509` needs (its dependency injection library
 * refuses to load without one). No polyfill package is installed, so this provides the five
 * functions it calls, stored in a WeakMap. It installs itself only when no polyfill is present.
 */
type Key = unknown;
type Prop = string | symbol | undefined;

const store = new WeakMap<object, Map<Prop, Map<Key, unknown>>>();

function own(target: object, prop: Prop, create: boolean): Map<Key, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let byKey = byProp.get(prop);
  if (!byKey && create) {
    byKey = new Map();
    byProp.set(prop, byKey);
  }
  return byKey;
}

function lookup(key: Key, target: object, prop: Prop): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
    const map = own(t, prop, false);
    if (map?.has(key)) return map.get(key);
  }
  return undefined;
}

export function installReflectMetadata(): void {
  const r = Reflect as unknown as Record<string, unknown>;
  if (typeof r.getMetadata === 'function') return;
  r.defineMetadata = (key: Key, value: unknown, target: object, prop?: Prop) => {
    own(target, prop, true)!.set(key, value);
  };
  r.getOwnMetadata = (key: Key, target: object, prop?: Prop) => own(target, prop, false)?.get(key);
  r.getMetadata = (key: Key, target: object, prop?: Prop) => lookup(key, target, prop);
  r.hasOwnMetadata = (key: Key, target: object, prop?: Prop) => own(target, prop, false)?.has(key) ?? false;
  r.hasMetadata = (key: Key, target: object, prop?: Prop) => lookup(key, target, prop) !== undefined;
  r.metadata = (key: Key, value: unknown) => (target: object, prop?: Prop) => {
    own(target, prop, true)!.set(key, value);
  };
}
