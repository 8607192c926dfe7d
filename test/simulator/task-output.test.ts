import { describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, eachManualSim } from './helpers.js';

const t = eachManualSim();

/** The seeded first cf deploy has a long event log. */
function cfDeployId(): number {
  const task = t.sim.tasks.list().find((x) => x.deployment === 'cf' && x.description === 'create deployment');
  return task!.id;
}

describe('event output with Range', () => {
  it('answers the whole output with 200 and no Content-Range when no Range is sent', async () => {
    const id = cfDeployId();
    const r = await t.get(`/tasks/${id}/output?type=event`);
    expect(r.status).toBe(200);
    expect(r.headers['content-range']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/html;charset=utf-8');
    expect(r.text).toBe(t.sim.tasks.eventOutput(id));
    for (const line of r.text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('answers one satisfiable range with 206, the byte slice and Content-Range', async () => {
    const id = cfDeployId();
    const whole = Buffer.from(t.sim.tasks.eventOutput(id));
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', { headers: { range: 'bytes=10-19' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 10-19/${whole.length}`);
    expect(r.headers['content-length']).toBe('10');
    expect(r.body.equals(whole.subarray(10, 20))).toBe(true);
    const tail = await t.get(`/tasks/${id}/output?type=event`, 'admin', { headers: { range: 'bytes=100-' } });
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 100-${whole.length - 1}/${whole.length}`);
    expect(tail.body.equals(whole.subarray(100))).toBe(true);
  });

  it('clamps a bounded range that runs past the end to the last byte, as Rack does', async () => {
    const id = cfDeployId();
    const whole = Buffer.from(t.sim.tasks.eventOutput(id));
    const from = whole.length - 7;
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', {
      headers: { range: `bytes=${from}-${whole.length + 4096}` },
    });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes ${from}-${whole.length - 1}/${whole.length}`);
    expect(r.headers['content-length']).toBe('7');
    expect(r.body.equals(whole.subarray(from))).toBe(true);
    const past = await t.get(`/tasks/${id}/output?type=event`, 'admin', {
      headers: { range: `bytes=${whole.length}-${whole.length + 99}` },
    });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${whole.length}`);
  });

  it('serves a whole log as consecutive bounded chunks, event and debug alike, every byte once', async () => {
    const id = cfDeployId();
    for (const type of ['event', 'debug'] as const) {
      const whole = Buffer.from(type === 'event' ? t.sim.tasks.eventOutput(id) : t.sim.tasks.debugOutput(id));
      const chunk = 97;
      const parts: Buffer[] = [];
      for (let from = 0; ; from += chunk) {
        const r = await t.get(`/tasks/${id}/output?type=${type}`, 'admin', {
          headers: { range: `bytes=${from}-${from + chunk - 1}` },
        });
        if (r.status === 416) break;
        expect(r.status).toBe(206);
        const end = Math.min(from + chunk, whole.length) - 1;
        expect(r.headers['content-range']).toBe(`bytes ${from}-${end}/${whole.length}`);
        parts.push(r.body);
      }
      expect(parts.length).toBe(Math.ceil(whole.length / chunk));
      expect(Buffer.concat(parts).equals(whole)).toBe(true);
    }
  });

  it('answers a range starting at the end with 416 and bytes */N', async () => {
    const id = cfDeployId();
    const size = Buffer.byteLength(t.sim.tasks.eventOutput(id));
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', {
      headers: { range: `bytes=${size}-` },
    });
    expect(r.status).toBe(416);
    expect(r.headers['content-range']).toBe(`bytes */${size}`);
    expect(r.text).toBe('Byte range unsatisfiable');
  });

  it('ignores Range when the output is still empty and answers 200 with an empty body', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', { headers: { range: 'bytes=0-' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
  });

  it('answers several ranges with the whole body (200)', async () => {
    const id = cfDeployId();
    const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', { headers: { range: 'bytes=0-1,5-6' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe(t.sim.tasks.eventOutput(id));
  });

  it('grows record by record while the task runs, so a tail with Range sees every byte once', async () => {
    const id = t.sim.tasks.startDeploy(DEMO_MANIFEST);
    let offset = 0;
    let text = '';
    const sizes: number[] = [];
    for (let poll = 0; poll < 500; poll++) {
      const r = await t.get(`/tasks/${id}/output?type=event`, 'admin', {
        headers: { range: `bytes=${offset}-` },
      });
      if (r.status === 206 || r.status === 200) {
        offset += r.body.length;
        text += r.text;
      } else {
        expect(r.status).toBe(416);
      }
      sizes.push(offset);
      if (t.sim.tasks.get(id)?.state === 'done' && r.status === 416) break;
      await t.clock.advance(500);
    }
    expect(text).toBe(t.sim.tasks.eventOutput(id));
    // Many distinct sizes: the log grew across polls instead of appearing at once.
    expect(new Set(sizes).size).toBeGreaterThan(10);
  });
});

describe('output types', () => {
  it('answers type=none with 204', async () => {
    const r = await t.get(`/tasks/${cfDeployId()}/output?type=none`);
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('serves the debug log (the default type) as text/plain', async () => {
    const id = cfDeployId();
    const r = await t.get(`/tasks/${id}/output`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain;charset=utf-8');
    expect(r.text).toContain(`INFO -- TaskHelper: Enqueuing task: ${id}`);
    expect(r.text).toBe(t.sim.tasks.debugOutput(id));
  });

  it('ends the 416 of a file-backed log with a newline', async () => {
    const id = cfDeployId();
    const size = Buffer.byteLength(t.sim.tasks.debugOutput(id));
    const r = await t.get(`/tasks/${id}/output?type=debug`, 'admin', {
      headers: { range: `bytes=${size + 5}-` },
    });
    expect(r.status).toBe(416);
    expect(r.text).toBe('Byte range unsatisfiable\n');
  });

  it('answers 204 for the CPI log of a task that made no CPI call, and serves it for one that did', async () => {
    const upload = t.sim.tasks.list().find((x) => x.description === 'create release')!;
    expect((await t.get(`/tasks/${upload.id}/output?type=cpi`)).status).toBe(204);
    const cpi = await t.get(`/tasks/${cfDeployId()}/output?type=cpi`);
    expect(cpi.status).toBe(200);
    expect(cpi.text).toContain('"method":"create_vm"');
  });

  it('answers an unknown type with 401 and 600000 "Unknown type <type>"', async () => {
    const r = await t.get(`/tasks/${cfDeployId()}/output?type=bogus`);
    expect(r.status).toBe(401);
    expect(r.json()).toEqual({ code: 600000, description: 'Unknown type bogus' });
  });

  it('lets a read-only user fetch event and result output but not the debug log', async () => {
    const id = cfDeployId();
    expect((await t.get(`/tasks/${id}/output?type=event`, 'reader')).status).toBe(200);
    expect((await t.get(`/tasks/${id}/output?type=result`, 'reader')).status).toBe(200);
    const debug = await t.get(`/tasks/${id}/output?type=debug`, 'reader');
    expect(debug.status).toBe(401);
    expect(debug.json().code).toBe(600000);
  });

  it('answers 404 10000 for the output of an unknown task', async () => {
    expect((await t.get('/tasks/77777/output?type=event')).json()).toEqual({
      code: 10000,
      description: 'Task 77777 not found',
    });
  });
});
