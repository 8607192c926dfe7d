import { describe, expect, it } from 'vitest';
import { parseNdjson } from '../../src/director/index.js';

describe('parseNdjson', () => {
  it('returns one object per line in the order written, skipping empty lines', () => {
    expect(parseNdjson('{"i":2}\n\n{"i":0}\r\n  \n{"i":1}', 'GET /x')).toEqual([
      { i: 2 },
      { i: 0 },
      { i: 1 },
    ]);
  });

  it('returns nothing for an empty result', () => {
    expect(parseNdjson('', 'GET /x')).toEqual([]);
  });

  it.each(['{"cut":', '[1,2]', '42', 'null', 'not json'])('calls the line %s a bad response', (line) => {
    expect(() => parseNdjson(`{"ok":1}\n${line}\n`, 'GET /deployments/:name/vms')).toThrow(
      expect.objectContaining({
        code: 'BAD_RESPONSE',
        route: 'GET /deployments/:name/vms',
        message: expect.stringContaining('Line 2'),
      }),
    );
  });
});
