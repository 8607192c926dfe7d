/** docs/task-stream.md section 6: the per-output buffer is bounded in records and bytes. */
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../src/stream/line-buffer.js';
import { splitOutput } from '../../src/stream/records.js';

const lines = (text: string) => splitOutput(text);

describe('LineBuffer', () => {
  it('finds the first line at or after an offset', () => {
    const buffer = new LineBuffer({ maxRecords: 100, maxBytes: 1000 });
    buffer.append(lines('aa\nbbb\n\ncc\n'));
    expect(buffer.firstFrom(0)?.text).toBe('aa');
    expect(buffer.firstFrom(3)?.text).toBe('bbb');
    expect(buffer.firstFrom(4)?.text).toBe('cc');
    expect(buffer.firstFrom(12)).toBeUndefined();
    expect(buffer.end).toBe(11);
  });

  it('lets the oldest records go past the record bound and moves its start', () => {
    const buffer = new LineBuffer({ maxRecords: 2, maxBytes: 1000 });
    buffer.append(lines('one\ntwo\nthree\n'));
    expect(buffer.size).toBe(2);
    expect(buffer.start).toBe(4);
    expect(buffer.firstFrom(0)?.text).toBe('two');
  });

  it('lets the oldest records go past the byte bound', () => {
    const buffer = new LineBuffer({ maxRecords: 100, maxBytes: 8 });
    buffer.append(lines('12345\n67890\nab\n'));
    expect(buffer.size).toBe(2);
    expect(buffer.start).toBe(6);
  });

  it('ignores lines it already holds', () => {
    const buffer = new LineBuffer();
    const all = lines('x\ny\n');
    buffer.append(all);
    buffer.append(all);
    expect(buffer.size).toBe(2);
  });

  it('counts offsets in bytes, not characters', () => {
    const parsed = lines('é\n🚀\n');
    expect(parsed.map((l) => [l.start, l.end])).toEqual([
      [0, 3],
      [3, 8],
    ]);
  });
});
