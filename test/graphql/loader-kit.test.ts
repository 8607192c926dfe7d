import { describe, expect, it } from 'vitest';
import { lazyFields } from '../../src/graphql/loader-kit.js';

interface Pair {
  left: { built: number };
  right: { built: number; left: number };
}

describe('lazyFields', () => {
  function maker() {
    const builds: string[] = [];
    const make = lazyFields<Pair, number>({
      left: (arg) => {
        builds.push('left');
        return { built: arg };
      },
      right: (arg, self) => {
        builds.push('right');
        return { built: arg, left: self.left.built };
      },
    });
    return { make, builds };
  }

  it('builds a field on its first read only, once per object', () => {
    const { make, builds } = maker();
    const a = make(1);
    expect(builds).toEqual([]);
    expect(a.left).toBe(a.left);
    expect(builds).toEqual(['left']);
    const b = make(2);
    expect(b.left.built).toBe(2);
    expect(a.left.built).toBe(1);
    expect(builds).toEqual(['left', 'left']);
  });

  it('lets a field read its siblings, each still built once', () => {
    const { make, builds } = maker();
    const a = make(3);
    expect(a.right).toEqual({ built: 3, left: 3 });
    expect(a.left.built).toBe(3);
    expect(builds).toEqual(['right', 'left']);
  });

  it('builds nothing when a context holding it is copied, as yoga copies contexts', () => {
    const { make, builds } = maker();
    const loaders = make(4);
    const copy = Object.assign({}, { loaders }, { ...{ loaders } });
    expect(copy.loaders).toBe(loaders);
    expect(Object.keys({ ...loaders })).toEqual([]);
    expect(builds).toEqual([]);
  });
});
