import { describe, expect, it } from 'vitest';
import { CallerGone, FairQueue } from '../../src/director/fair-queue.js';
import { DeadlineReached } from '../../src/director/scope.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('FairQueue', () => {
  it('gives one key at most its share, and other keys the rest at once', async () => {
    const queue = new FairQueue(4, 2);
    const a = [await queue.acquire('a'), await queue.acquire('a')];
    let third = false;
    void queue.acquire('a').then(() => {
      third = true;
    });
    const b = await queue.acquire('b');
    await turn();
    expect(third).toBe(false);
    expect(queue.stats).toEqual({ inFlight: 3, waiting: 1 });
    a[0]?.();
    await turn();
    expect(third).toBe(true);
    b();
  });

  it('serves waiting keys in turn, one call each, when slots free up', async () => {
    const queue = new FairQueue(1);
    const release = await queue.acquire('x');
    const order: string[] = [];
    const waits = ['a', 'a', 'a', 'b', 'b', 'c'].map((key, i) =>
      queue.acquire(key).then((done) => {
        order.push(`${key}${i}`);
        done();
      }),
    );
    release();
    await Promise.all(waits);
    expect(order).toEqual(['a0', 'b3', 'c5', 'a1', 'b4', 'a2']);
  });

  it('fails a waiter whose deadline passed before its turn, without giving it the slot', async () => {
    const queue = new FairQueue(1);
    const release = await queue.acquire('x');
    const late = queue.acquire('y', undefined, Date.now() - 1);
    const next = queue.acquire('z');
    release();
    await expect(late).rejects.toBeInstanceOf(DeadlineReached);
    (await next)();
    expect(queue.stats).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('fails a waiter whose caller is gone when its turn comes, before any signal says so', async () => {
    const queue = new FairQueue(1);
    const release = await queue.acquire('x');
    let alive = true;
    const gone = queue.acquire('y', undefined, undefined, () => alive);
    const next = queue.acquire('z');
    alive = false;
    release();
    await expect(gone).rejects.toBeInstanceOf(CallerGone);
    (await next)();
    expect(queue.stats).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('removes a waiter whose signal aborts, and rejects with its reason', async () => {
    const queue = new FairQueue(1);
    const release = await queue.acquire('x');
    const controller = new AbortController();
    const waiting = queue.acquire('y', controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(queue.stats).toEqual({ inFlight: 1, waiting: 0 });
    release();
  });

  it('refuses a size or a share that is not a positive integer', () => {
    expect(() => new FairQueue(0)).toThrow(RangeError);
    expect(() => new FairQueue(2, 0)).toThrow(RangeError);
  });
});
