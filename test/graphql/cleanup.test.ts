/**
 * Clean-up from the graph: deleting orphaned disks and cancelling many tasks at once. Both need
 * Director admin rights; anyone else is refused by the Director with nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/simulator/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { deployManifest } from '../helpers/manifests.js';
import { codes, directorGet, writes } from './support.js';

const DELETE_DISK =
  'mutation($cid: String!) { deleteOrphanedDisk(cid: $cid) { id state description deploymentName } }';
const CANCEL = `mutation($s: [TaskState!], $d: String, $t: [String!]) {
  cancelTasks(states: $s, deployment: $d, types: $t)
}`;

let gw: TestGateway;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock();
  gw = await startTestGateway({ simulator: { clock } });
  await gw.graphql('{ director { name } }');
});
afterAll(() => gw.close());

const disks = async () =>
  ((await directorGet(gw, '/disks', 'admin')) as { disk_cid: string }[]).map((d) => d.disk_cid);

describe('deleteOrphanedDisk', () => {
  it('is refused to a reader and a team admin, deleting nothing', async () => {
    const [cid] = await disks();
    for (const user of ['reader', 'alpha-admin']) {
      gw.resetCalls();
      expect(codes(await gw.graphql(DELETE_DISK, { cid }, user)), user).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual([`DELETE /disks/${cid} 401`]);
    }
    expect(await disks()).toContain(cid);
  });

  it('starts the delete task and the disk is gone once it is done', async () => {
    const [cid, ...rest] = await disks();
    gw.resetCalls();
    const reply = await gw.graphql(DELETE_DISK, { cid });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.deleteOrphanedDisk;
    expect(task).toMatchObject({ description: 'delete orphan disks', deploymentName: null });
    expect(gw.calls()).toEqual([`DELETE /disks/${cid}`, `GET /tasks/${task.id}`]);
    await clock.advance(10_000);
    expect(gw.sim.tasks.get(Number(task.id))).toMatchObject({
      state: 'done',
      result: `orphaned disk(s) ${cid} deleted`,
    });
    expect(await disks()).toEqual(rest);
  });

  it('answers BAD_USER_INPUT with the Director code for an active persistent disk, starting nothing', async () => {
    const instances = (await directorGet(gw, '/deployments/cf/jobs/database/0', 'admin')) as {
      disks: string[];
    };
    const [active] = instances.disks;
    const tasks = gw.sim.tasks.list().length;
    const reply = await gw.graphql(DELETE_DISK, { cid: active });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(reply.errors![0]!.extensions?.directorCode).toBe(520000);
    expect(gw.sim.tasks.list().length).toBe(tasks);
  });
});

describe('cancelTasks', () => {
  it('is refused to a reader and a team admin, cancelling nothing', async () => {
    const id = gw.sim.tasks.startDeploy(deployManifest('kept-queued', 1, 1));
    for (const user of ['reader', 'alpha-admin']) {
      gw.resetCalls();
      expect(codes(await gw.graphql(CANCEL, {}, user)), user).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual(['POST /tasks/cancel 401']);
    }
    expect(gw.sim.tasks.get(id)?.state).toBe('queued');
    await clock.advance(60_000);
    expect(gw.sim.tasks.get(id)?.state).toBe('done');
  });

  it('cancels every queued task by default, and only the states, deployment and types given', async () => {
    const queued = [1, 2].map((i) => gw.sim.tasks.startDeploy(deployManifest(`bulk-${i}`, 1, 1)));
    gw.resetCalls();
    expect((await gw.graphql(CANCEL, {})).data.cancelTasks).toBe(true);
    const [post] = gw.sim.requests.list({ method: 'POST', path: '/tasks/cancel' });
    expect(post!.status).toBe(204);
    await clock.advance(60_000);
    for (const id of queued) expect(gw.sim.tasks.get(id)?.state).toBe('cancelled');

    // One running deploy per deployment; only bulk-3's is cancelled.
    const three = gw.sim.tasks.startDeploy(deployManifest('bulk-3', 2, 2));
    const four = gw.sim.tasks.startDeploy(deployManifest('bulk-4', 2, 2));
    const states = () => [gw.sim.tasks.get(three)?.state, gw.sim.tasks.get(four)?.state];
    for (let step = 0; step < 10 && states().includes('queued'); step++) await clock.advance(5);
    expect(states()).toEqual(['processing', 'processing']);
    const reply = await gw.graphql(CANCEL, { s: ['PROCESSING'], d: 'bulk-3', t: ['update_deployment'] });
    expect(reply.data.cancelTasks).toBe(true);
    await clock.advance(60_000);
    expect(states()).toEqual(['cancelled', 'done']);
  });

  it('refuses states the Director cannot cancel before any call', async () => {
    gw.resetCalls();
    const reply = await gw.graphql(CANCEL, { s: ['QUEUED', 'DONE'] });
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
    expect(gw.calls()).toEqual([]);
  });
});
