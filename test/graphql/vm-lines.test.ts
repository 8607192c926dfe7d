/**
 * VM and instance details pick their own line of one `format=full` result: the same line a search
 * in result order finds, and in O(V) for the V VMs of a deployment (each line read a bounded number
 * of times), not O(V²).
 */
import { describe, expect, it } from 'vitest';
import type { WireInstance, WireVm, WireVmFull } from '../../src/director/types.js';
import { Instance, VM } from '../../src/graphql/resolvers/vm.js';
import { vmFull } from '../director/fixtures.js';

const line = (index: number, extra: Record<string, unknown> = {}) =>
  vmFull(index, extra) as unknown as WireVmFull;

function wireVm(index: number, extra: Partial<WireVm> = {}): WireVm {
  return {
    agent_id: `agent-${index}`,
    cid: `vm-cid-${index}`,
    job: 'zookeeper',
    index,
    id: `id-${index}`,
    az: 'z1',
    ips: [],
    vm_created_at: null,
    active: true,
    ...extra,
  };
}

/** The lines, counting every read of an element. */
function counted(lines: WireVmFull[]) {
  const reads = { count: 0 };
  const proxy = new Proxy(lines, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads.count += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { proxy, reads };
}

type Resolver = (parent: unknown, args: unknown, ctx: unknown, info: unknown) => unknown;
const vmDetails = VM.details as Resolver;
const instanceDetails = Instance.details as Resolver;

const context = (lines: WireVmFull[]) => ({
  loaders: {
    vmsFull: { load: async () => lines },
    instancesFull: { load: async () => lines },
  },
});

describe('VM details', () => {
  it('read each line of a 400-VM deployment a bounded number of times, not once per VM', async () => {
    const size = 400;
    const { proxy, reads } = counted(Array.from({ length: size }, (_, i) => line(size - 1 - i)));
    const ctx = context(proxy);
    const found = await Promise.all(
      Array.from({ length: size }, (_, i) => vmDetails({ deployment: 'zk', vm: wireVm(i) }, {}, ctx, {})),
    );
    expect(found.map((l) => (l as WireVmFull).index)).toEqual(Array.from({ length: size }, (_, i) => i));
    expect(reads.count).toBeLessThanOrEqual(2 * size);
  });

  it('pick the line of the cid, else the active line of the instance, else null', async () => {
    const lines = [
      line(0, { vm_cid: 'old', active: false }),
      line(0, { vm_cid: 'new', active: true }),
      line(1, { vm_cid: 'same', job_state: 'first' }),
      line(1, { vm_cid: 'same', job_state: 'second' }),
    ];
    const ctx = context(lines);
    const pick = (vm: WireVm) => vmDetails({ deployment: 'zk', vm }, {}, ctx, {});
    expect(await pick(wireVm(0, { cid: 'old' }))).toBe(lines[0]);
    // A cid the result lacks (the VM was replaced meanwhile): the instance's line not inactive.
    expect(await pick(wireVm(0, { cid: 'gone' }))).toBe(lines[1]);
    expect(await pick(wireVm(0, { cid: null }))).toBe(lines[1]);
    // The first line of a cid, as a search in result order finds it.
    expect(await pick(wireVm(1, { cid: 'same' }))).toBe(lines[2]);
    expect(await pick(wireVm(7, { cid: 'nowhere' }))).toBeNull();
  });
});

describe('instance details', () => {
  it('pick the line of the instance in O(V)', async () => {
    const size = 400;
    const { proxy, reads } = counted(Array.from({ length: size }, (_, i) => line(i)));
    const ctx = context(proxy);
    const instance = (i: number) => ({ id: `id-${i}` }) as WireInstance;
    const found = await Promise.all(
      Array.from({ length: size }, (_, i) =>
        instanceDetails({ deployment: 'zk', instance: instance(i) }, {}, ctx, {}),
      ),
    );
    expect(found.every((l, i) => (l as WireVmFull).id === `id-${i}`)).toBe(true);
    expect(reads.count).toBeLessThanOrEqual(2 * size);
    expect(await instanceDetails({ deployment: 'zk', instance: instance(size) }, {}, ctx, {})).toBeNull();
  });
});
