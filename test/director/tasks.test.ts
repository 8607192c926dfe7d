import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIRECTOR_DEFAULTS, DirectorClient, DirectorTaskFailedError } from '../../src/director/index.js';
import { json, redirect, type StubDirector, startStub, text, wireTask } from '../helpers/stub-director.js';
import { vmFull } from './fixtures.js';

const AUTH = 'Basic YWRtaW46YWRtaW4=';
const MANIFEST = 'name: cf\nreleases: []\n';

describe('task-starting calls', () => {
  let stub: StubDirector;
  let elsewhere: StubDirector;
  let client: DirectorClient;
  let sleeps: number[];

  beforeEach(async () => {
    stub = await startStub();
    // Real Directors put their external name in Location; this stands for that other host.
    elsewhere = await startStub();
    sleeps = [];
    client = new DirectorClient({
      url: stub.url,
      taskPollIntervalMs: 7,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
    await elsewhere.close();
  });

  it.each([302, 303, 307])(
    'takes the task id from a %i Location path and never contacts its host',
    async (status) => {
      stub.on('POST /deployments', redirect(status, `${elsewhere.url}/tasks/1181`));
      const id = await client.forCaller(AUTH).deploy(MANIFEST);
      expect(id).toBe(1181);
      expect(stub.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
    },
  );

  it('posts the manifest as exactly text/yaml with every deploy option in the query', async () => {
    stub.on('POST /deployments', redirect(302, 'https://bosh.example.invalid:25555/tasks/5'));
    await client.forCaller(AUTH).deploy(
      MANIFEST,
      {
        recreate: true,
        skipDrain: ['web', 'db'],
        fix: true,
        dryRun: true,
        canaries: '2',
        maxInFlight: '30%',
      },
      'ctx-42',
    );
    const req = stub.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toBe('text/yaml');
    expect(req?.body).toBe(MANIFEST);
    expect(req?.headers['x-bosh-context-id']).toBe('ctx-42');
    expect(req?.headers.authorization).toBe(AUTH);
    expect(Object.fromEntries(req?.query ?? [])).toEqual({
      recreate: 'true',
      skip_drain: 'web,db',
      fix: 'true',
      dry_run: 'true',
      canaries: '2',
      max_in_flight: '30%',
    });
  });

  it('sends skip_drain=* for every instance group and no options when none are asked', async () => {
    stub.on('POST /deployments', redirect(302, '/tasks/5'));
    const api = client.forCaller(AUTH);
    await api.deploy(MANIFEST, { skipDrain: '*' });
    await api.deploy(MANIFEST);
    expect(stub.requests.map((r) => r.url)).toEqual(['/deployments?skip_drain=*', '/deployments']);
    expect(stub.requests[1]?.headers['x-bosh-context-id']).toBeUndefined();
  });

  it('deletes a deployment with force=true and returns the task id at once', async () => {
    stub.on('DELETE /deployments/cf', redirect(302, `${elsewhere.url}/tasks/77`));
    const id = await client.forCaller(AUTH).deleteDeployment('cf', { force: true }, 'ctx-del');
    expect(id).toBe(77);
    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /deployments/cf?force=true']);
    expect(stub.requests[0]?.headers['x-bosh-context-id']).toBe('ctx-del');
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a context id over 64 characters before sending anything', async () => {
    const api = client.forCaller(AUTH);
    await expect(api.deploy(MANIFEST, {}, 'x'.repeat(65))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.deleteDeployment('cf', {}, 'x'.repeat(65))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(stub.requests).toHaveLength(0);
  });

  it('accepts a context id of exactly 64 characters', async () => {
    stub.on('POST /deployments', redirect(302, '/tasks/5'));
    await client.forCaller(AUTH).deploy(MANIFEST, {}, 'y'.repeat(64));
    expect(stub.requests[0]?.headers['x-bosh-context-id']).toBe('y'.repeat(64));
  });

  it.each([
    ['no Location', redirect(302, '')],
    ['a Location that is not a task', redirect(302, 'https://director.invalid/deployments/cf')],
    ['a 200 instead of a redirect', json(200, {})],
  ])('calls %s a bad response', async (_what, handler) => {
    stub.on('POST /deployments', handler);
    await expect(client.forCaller(AUTH).deploy(MANIFEST)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});

describe('waiting for tasks and format=full results', () => {
  let stub: StubDirector;
  let elsewhere: StubDirector;
  let client: DirectorClient;
  let sleeps: number[];

  beforeEach(async () => {
    stub = await startStub();
    elsewhere = await startStub();
    sleeps = [];
    client = new DirectorClient({
      url: stub.url,
      taskPollIntervalMs: 7,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  });
  afterEach(async () => {
    await client.close();
    await stub.close();
    await elsewhere.close();
  });

  it('polls GET /tasks/{id} at the poll interval until the task is terminal', async () => {
    stub.on(
      'GET /tasks/3',
      json(200, wireTask(3, 'queued')),
      json(200, wireTask(3, 'processing')),
      json(200, wireTask(3, 'done')),
    );
    const task = await client.forCaller(AUTH).waitForTask(3);
    expect(task.state).toBe('done');
    expect(stub.calls('GET /tasks/3')).toHaveLength(3);
    expect(sleeps).toEqual([7, 7]);
  });

  it('polls a short task quickly at first, then backs off, doubling up to the poll interval', async () => {
    let now = 0;
    const pauses: number[] = [];
    const clocked = new DirectorClient({
      url: stub.url,
      taskPollIntervalMs: 500,
      now: () => now,
      sleep: async (ms) => {
        pauses.push(ms);
        now += ms;
      },
    });
    try {
      // Done once 1 s of the (manual) clock has passed: the reads at 0, 50, 150, 350, 750 and
      // 1250 ms see it running, the last one done.
      stub.on('GET /tasks/3', (req, res) =>
        json(200, wireTask(3, now >= 1_000 ? 'done' : 'processing'))(req, res),
      );
      const task = await clocked.forCaller(AUTH).waitForTask(3);
      expect(task.state).toBe('done');
      expect(pauses).toEqual([50, 100, 200, 400, 500]);
      expect(stub.calls('GET /tasks/3')).toHaveLength(6);
    } finally {
      await clocked.close();
    }
  });

  it('sees a task that ends within the first pause at the second read', async () => {
    stub.on('GET /tasks/3', json(200, wireTask(3, 'processing')), json(200, wireTask(3, 'done')));
    let pause = 0;
    const fast = new DirectorClient({
      url: stub.url,
      sleep: async (ms) => {
        pause = ms;
      },
    });
    try {
      // The default first pause, not the default 500 ms interval.
      expect((await fast.forCaller(AUTH).waitForTask(3)).state).toBe('done');
      expect(pause).toBe(DIRECTOR_DEFAULTS.taskFirstPollMs);
      expect(DIRECTOR_DEFAULTS.taskFirstPollMs).toBe(50);
    } finally {
      await fast.close();
    }
  });

  it('returns a failed task from waitForTask rather than throwing', async () => {
    stub.on('GET /tasks/3', json(200, wireTask(3, 'error', { result: 'boom' })));
    expect((await client.forCaller(AUTH).waitForTask(3, { intervalMs: 1 })).state).toBe('error');
  });

  it('gives up with DIRECTOR_TIMEOUT once the wait outlives timeoutMs', async () => {
    let now = 0;
    const clocked = new DirectorClient({
      url: stub.url,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    stub.on('GET /tasks/3', json(200, wireTask(3, 'processing')));
    await expect(
      clocked.forCaller(AUTH).waitForTask(3, { intervalMs: 100, timeoutMs: 250 }),
    ).rejects.toMatchObject({
      code: 'DIRECTOR_TIMEOUT',
      phase: 'task',
    });
    expect(stub.calls('GET /tasks/3')).toHaveLength(4);
    await clocked.close();
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    stub.on('GET /tasks/3', (_req, res) => {
      controller.abort(new Error('caller went away'));
      json(200, wireTask(3, 'processing'))(_req, res);
    });
    await expect(client.forCaller(AUTH).waitForTask(3, { signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringContaining('caller went away'),
    });
  });

  it('starts the vms task, waits for it, and parses its NDJSON result in any order', async () => {
    stub.on('GET /deployments/cf/vms', redirect(302, `${elsewhere.url}/tasks/40`));
    stub.on('GET /tasks/40', json(200, wireTask(40, 'processing')), json(200, wireTask(40, 'done')));
    const lines = [vmFull(2), vmFull(0), vmFull(1, { vitals: null, job_state: 'unresponsive agent' })];
    stub.on('GET /tasks/40/output', text(200, `${lines.map((l) => JSON.stringify(l)).join('\n\n')}\n`));

    const vms = await client.forCaller(AUTH).listVmsFull('cf');
    expect(vms.map((v) => v.index)).toEqual([2, 0, 1]);
    expect(vms[2]?.job_state).toBe('unresponsive agent');
    expect(stub.requests.map((r) => r.url)).toEqual([
      '/deployments/cf/vms?format=full',
      '/tasks/40',
      '/tasks/40',
      '/tasks/40/output?type=result',
    ]);
    expect(stub.calls('GET /tasks/40/output')[0]?.headers.range).toBeUndefined();
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('asks instances?format=full the same way', async () => {
    stub.on('GET /deployments/cf/instances', redirect(303, '/tasks/41'));
    stub.on('GET /tasks/41', json(200, wireTask(41, 'done')));
    stub.on(
      'GET /tasks/41/output',
      text(200, `${JSON.stringify(vmFull(0, { vm_cid: null, active: null }))}\n`),
    );
    const instances = await client.forCaller(AUTH).listInstancesFull('cf');
    expect(instances).toHaveLength(1);
    expect(instances[0]?.active).toBeNull();
    expect(stub.requests[0]?.url).toBe('/deployments/cf/instances?format=full');
  });

  it('fails with TASK_FAILED, naming the state, when the vms task does not end done', async () => {
    stub.on('GET /deployments/cf/vms', redirect(302, '/tasks/42'));
    stub.on('GET /tasks/42', json(200, wireTask(42, 'error', { result: 'Timed out sending get_state' })));
    const error = await client
      .forCaller(AUTH)
      .listVmsFull('cf')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectorTaskFailedError);
    expect(error).toMatchObject({ code: 'TASK_FAILED', taskId: 42, state: 'error' });
    expect(stub.calls('GET /tasks/42/output')).toHaveLength(0);
  });

  describe('a vms task that never finishes', () => {
    /** A clock that only moves when the client sleeps between polls: no real time passes. */
    function clockedClient(options: { vmsTaskTimeoutMs?: number } = {}) {
      let now = 0;
      return new DirectorClient({
        url: stub.url,
        taskPollIntervalMs: 500,
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
        ...options,
      });
    }

    beforeEach(() => {
      stub.on('GET /deployments/cf/vms', redirect(302, '/tasks/44'));
      stub.on('GET /deployments/cf/instances', redirect(302, '/tasks/44'));
      stub.on('GET /tasks/44', json(200, wireTask(44, 'processing')));
    });

    it('ends listVmsFull with DIRECTOR_TIMEOUT after the default 120 s when the caller names no deadline', async () => {
      const clocked = clockedClient();
      try {
        await expect(clocked.forCaller(AUTH).listVmsFull('cf')).rejects.toMatchObject({
          code: 'DIRECTOR_TIMEOUT',
          phase: 'task',
        });
        // Pauses of 50, 100, 200 and 400 ms (750 ms), then every 500 ms until 120 s: the first
        // read and one after each of 4 + 239 pauses (the last one cut to 250 ms by the deadline).
        expect(DIRECTOR_DEFAULTS.vmsTaskTimeoutMs).toBe(120_000);
        expect(stub.calls('GET /tasks/44')).toHaveLength(1 + 4 + 239);
        expect(stub.calls('GET /tasks/44/output')).toHaveLength(0);
      } finally {
        await clocked.close();
      }
    });

    it("ends listInstancesFull at the client's vmsTaskTimeoutMs, and at a timeoutMs given with the call", async () => {
      const clocked = clockedClient({ vmsTaskTimeoutMs: 1_000 });
      try {
        const api = clocked.forCaller(AUTH);
        await expect(api.listInstancesFull('cf')).rejects.toMatchObject({ code: 'DIRECTOR_TIMEOUT' });
        // Reads at 0, 50, 150, 350, 750 and 1000 ms (the last pause cut to the deadline).
        expect(stub.calls('GET /tasks/44')).toHaveLength(6);
        await expect(api.listVmsFull('cf', { timeoutMs: 1 })).rejects.toMatchObject({
          code: 'DIRECTOR_TIMEOUT',
        });
        expect(stub.calls('GET /tasks/44')).toHaveLength(8);
      } finally {
        await clocked.close();
      }
    });
  });

  it('calls a result with a line that is not JSON a bad response', async () => {
    stub.on('GET /deployments/cf/vms', redirect(302, '/tasks/43'));
    stub.on('GET /tasks/43', json(200, wireTask(43, 'done')));
    stub.on('GET /tasks/43/output', text(200, `${JSON.stringify(vmFull(0))}\n{"truncated":\n`));
    await expect(client.forCaller(AUTH).listVmsFull('cf')).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
