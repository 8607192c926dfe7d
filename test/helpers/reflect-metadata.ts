/**
 * The three `Reflect` metadata functions that tsyringe (a dependency of @peculiar/x509) insists on.
 * The project has no reflect-metadata package and x509 is used only to mint test certificates, so a
 * minimal stand-in is enough. Import this before @peculiar/x509.
 */
type Target = object;
const store = new WeakMap<Target, Map<unknown, unknown>>();

const reflect = Reflect as unknown as {
  getMetadata?: (key: unknown, target: Target) => unknown;
  getOwnMetadata?: (key: unknown, target: Target) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: Target) => void;
};

if (!reflect.getMetadata) {
  reflect.getOwnMetadata = (key, target) => store.get(target)?.get(key);
  reflect.getMetadata = (key, target) => {
    for (let t: Target | null = target; t !== null; t = Object.getPrototypeOf(t)) {
      const value = store.get(t)?.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target) => {
    let map = store.get(target);
    if (!map) {
      map = new Map();
      store.set(target, map);
    }
    map.set(key, value);
  };
}
