/**
 * docs/director-api-notes.md §3 and docs/task-stream.md section 1: a task output larger than the
 * client's `maxResponseBytes` (the debug log of a big deploy can be) is still streamed whole,
 * because it is read in bounded chunks (`Range: bytes=N-M`), never in one answer. The gateway runs
 * with a limit of 2 KiB against logs of 9 to 16 KiB, with chunks of 500 bytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorResponseTooLargeError } from '../../src/director/index.js';
import { isTransient } from '../../src/stream/errors.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { subscribeSse, subscribeWs } from '../helpers/subscribe.js';
import { expectedStages, manifest, records, shownStages, TASK_EVENTS } from './fixtures.js';

const LIMIT = 2048;
const CHUNK = 500;
const TASK_OUTPUT = `subscription($id: ID!, $type: TaskOutputType!) {
  taskOutput(id: $id, type: $type) { text cursor }
}`;

/** The lines a tail hands on: every line ending with a newline, empty ones skipped. */
const wholeLines = (text: string) =>
  text
    .split('\n')
    .slice(0, -1)
    .filter((line) => line !== '');

function outputRequests(gw: TestGateway, id: number, type: string) {
  return gw.sim.requests.list({ path: `/tasks/${id}/output`, query: `type=${type}` });
}

describe.each([
  ["kept in the poller's buffer", {}],
  [
    'read again by a subscriber behind a small buffer (catch-up)',
    { buffer: { maxRecords: 5, maxBytes: 1024 } },
  ],
  // A poll takes at most 1000 bytes, so the log comes over several rounds without a pause.
  ['handed on in slices of two chunks per poll', { maxBytesPerPoll: 1000 }],
  [
    'in slices, and caught up behind a small buffer',
    { maxBytesPerPoll: 1000, buffer: { maxRecords: 5, maxBytes: 1024 } },
  ],
])('an output over maxResponseBytes, %s', (_how, stream) => {
  let gw: TestGateway;
  let url: string;
  let finished: number;
  beforeAll(async () => {
    gw = await startTestGateway({ director: { maxResponseBytes: LIMIT, outputChunkBytes: CHUNK }, stream });
    url = await gw.listen();
    finished = gw.sim.tasks.startDeploy(manifest('big-log', 3, 3));
    await gw.sim.tasks.wait(finished);
  });
  afterAll(() => gw.close());

  it("streams every line of a finished task's DEBUG output, in requests of at most one chunk", async () => {
    const debug = gw.sim.tasks.debugOutput(finished);
    expect(Buffer.byteLength(debug)).toBeGreaterThan(3 * LIMIT);
    gw.resetCalls();

    const sub = subscribeSse(
      url,
      TASK_OUTPUT,
      { id: String(finished), type: 'DEBUG' },
      gw.sim.basicAuth('admin'),
    );
    await sub.done;
    expect(records(sub.results, 'taskOutput').map((r) => r.text)).toEqual(wholeLines(debug));

    const reads = outputRequests(gw, finished, 'debug').filter((r) => r.status === 206);
    expect(reads.length).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(debug) / CHUNK));
    expect(reads.every((r) => r.bytes <= CHUNK)).toBe(true);
    expect(outputRequests(gw, finished, 'debug').every((r) => r.status !== 200)).toBe(true);
  });

  it("streams every record of a finished task's event log over WebSocket", async () => {
    expect(Buffer.byteLength(gw.sim.tasks.eventOutput(finished))).toBeGreaterThan(3 * LIMIT);
    const sub = subscribeWs(url, TASK_EVENTS, { id: String(finished) }, gw.sim.basicAuth('admin'));
    await sub.done;
    expect(shownStages(records(sub.results))).toEqual(expectedStages(gw.sim.tasks.events(finished)));
  });

  it("streams a running deploy's event log whole while it grows", async () => {
    const id = gw.sim.tasks.startDeploy(manifest('big-live', 3, 3));
    const sub = subscribeSse(url, TASK_EVENTS, { id: String(id) }, gw.sim.basicAuth('admin'));
    await sub.done;
    expect(gw.sim.tasks.get(id)?.state).toBe('done');
    expect(shownStages(records(sub.results))).toEqual(expectedStages(gw.sim.tasks.events(id)));
    expect(outputRequests(gw, id, 'event').every((r) => r.bytes <= CHUNK)).toBe(true);
  });
});

describe('the whole output in one answer, over maxResponseBytes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ director: { maxResponseBytes: LIMIT } });
  });
  afterAll(() => gw.close());

  it('fails a debugOutput query at once with DIRECTOR_ERROR instead of downloading it again', async () => {
    const id = gw.sim.tasks.startDeploy(manifest('too-big', 3, 3));
    await gw.sim.tasks.wait(id);
    gw.resetCalls();
    const reply = await gw.graphql(`{ task(id: "${id}") { id debugOutput } }`);
    expect(reply.errors?.map((e) => e.extensions?.code)).toEqual(['DIRECTOR_ERROR']);
    expect(outputRequests(gw, id, 'debug')).toHaveLength(1);
  });

  it('is an error the task stream does not retry as transient', () => {
    expect(isTransient(new DirectorResponseTooLargeError('too large', LIMIT))).toBe(false);
  });
});
