import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';

describe('ManualClock', () => {
  it('starts at a fixed time unless told otherwise', () => {
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 15, 10, 0, 0));
    expect(new ManualClock(1000).now()).toBe(1000);
  });

  it('runs due timers in due-time order, at their due time, including timers they schedule', async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimer(300, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(100, () => {
      seen.push(`a@${clock.now()}`);
      clock.setTimer(50, () => seen.push(`a2@${clock.now()}`));
    });
    clock.setTimer(100, () => seen.push(`b@${clock.now()}`));
    await clock.advance(200);
    expect(seen).toEqual(['a@100', 'b@100', 'a2@150']);
    expect(clock.now()).toBe(200);
    await clock.advance(100);
    expect(seen.at(-1)).toBe('c@300');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('skips cancelled timers', async () => {
    const clock = new ManualClock(0);
    let ran = false;
    const timer = clock.setTimer(10, () => {
      ran = true;
    });
    timer.cancel();
    await clock.advance(20);
    expect(ran).toBe(false);
  });
});
