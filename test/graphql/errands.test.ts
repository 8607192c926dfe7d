/**
 * Errands from the graph: `runErrand` starts the Director's `run errand` task with the hyphenated
 * keys it reads, the task can be followed with `taskEvents`, and `Task.errandResults` reads what
 * each instance did from the task's result output. Permissions are the Director's.
 */
import { describe, expect, it } from 'vitest';
import { fileGateway } from '../helpers/file-gateway.js';
import { subscribeSse } from '../helpers/subscribe.js';
import { codes, writes } from './support.js';

const RUN = `mutation($d: String!, $n: String!, $i: [InstanceSelector!], $k: Boolean, $w: Boolean, $c: String) {
  runErrand(deployment: $d, name: $n, instances: $i, keepAlive: $k, whenChanged: $w, contextId: $c) {
    id state description deploymentName contextId
  }
}`;
const RESULTS = `query($id: ID!) { task(id: $id) {
  state result errandResults { errandName instance { group id } exitCode stdout stderr logsBlobstoreId }
} }`;

const gw = fileGateway();

describe('runErrand', () => {
  it('runs an errand group, returning its task, followed to the end with taskEvents', async () => {
    const url = await gw.listen();
    const reply = await gw.graphql(RUN, { d: 'zookeeper', n: 'smoke-tests', c: 'ui-errand' });
    expect(reply.errors).toBeUndefined();
    const task = reply.data.runErrand;
    expect(task).toMatchObject({
      description: 'run errand smoke-tests from deployment zookeeper',
      deploymentName: 'zookeeper',
      contextId: 'ui-errand',
    });
    expect(gw.calls()).toEqual([
      'POST /deployments/zookeeper/errands/smoke-tests/runs',
      `GET /tasks/${task.id}`,
    ]);
    const events = subscribeSse(
      url,
      'subscription($id: ID!) { taskEvents(id: $id) { ... on TaskStageEvent { stage state } } }',
      { id: task.id },
      gw.sim.basicAuth('admin'),
    );
    await events.done;
    expect(events.completed).toBe(true);
    const stages = events.results.map((r) => r.data?.taskEvents?.stage);
    expect(stages).toContain('Running errand');
    // Without keepAlive the errand group's VM is deleted afterwards.
    expect(stages).toContain('Deleting errand instances');

    gw.resetCalls();
    const results = await gw.graphql(RESULTS, { id: task.id });
    expect(results.data.task).toMatchObject({ state: 'DONE', result: '1 succeeded, 0 errored, 0 canceled' });
    const [line] = gw.sim.tasks
      .resultOutput(Number(task.id))
      .split('\n')
      .map((l) => l && JSON.parse(l));
    expect(results.data.task.errandResults).toEqual([
      {
        errandName: 'smoke-tests',
        instance: line.instance,
        exitCode: 0,
        stdout: line.stdout,
        stderr: line.stderr,
        logsBlobstoreId: line.logs.blobstore_id,
      },
    ]);
    expect(gw.calls()).toEqual([`GET /tasks/${task.id}`, `GET /tasks/${task.id}/output?type=result`]);
  });

  it('sends keepAlive, and runs on the selected instances only', async () => {
    const kept = await gw.graphql(RUN, { d: 'zookeeper', n: 'smoke-tests', k: true });
    await gw.sim.tasks.wait(Number(kept.data.runErrand.id));
    expect(gw.sim.tasks.eventOutput(Number(kept.data.runErrand.id))).not.toContain(
      'Deleting errand instances',
    );

    const one = await gw.graphql(RUN, { d: 'zookeeper', n: 'status', i: [{ group: 'zookeeper', id: '0' }] });
    await gw.sim.tasks.wait(Number(one.data.runErrand.id));
    const results = await gw.graphql(RESULTS, { id: one.data.runErrand.id });
    expect(results.data.task.errandResults).toHaveLength(1);
    expect(results.data.task.errandResults[0]).toMatchObject({ errandName: 'status', exitCode: 0 });
  });

  it('skips a run whenChanged finds nothing new: no results, an empty list', async () => {
    const first = await gw.graphql(RUN, { d: 'zookeeper', n: 'smoke-tests' });
    await gw.sim.tasks.wait(Number(first.data.runErrand.id));
    const skipped = await gw.graphql(RUN, { d: 'zookeeper', n: 'smoke-tests', w: true });
    await gw.sim.tasks.wait(Number(skipped.data.runErrand.id));
    const results = await gw.graphql(RESULTS, { id: skipped.data.runErrand.id });
    expect(results.data.task).toMatchObject({ result: 'skipped - no changes detected', errandResults: [] });
  });

  it('refuses an empty errand name or group before any call', async () => {
    for (const variables of [
      { d: 'zookeeper', n: '' },
      { d: 'zookeeper', n: 'status', i: [{ group: ' ' }] },
    ]) {
      expect(codes(await gw.graphql(RUN, variables))).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });

  it("is refused to a reader, a team reader and another team, and allowed to the deployment's team", async () => {
    const tasks = gw.sim.tasks.list().length;
    for (const user of ['reader', 'alpha-reader', 'beta-admin']) {
      gw.resetCalls();
      const reply = await gw.graphql(RUN, { d: 'zookeeper', n: 'status' }, user);
      expect(codes(reply), user).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual(['POST /deployments/zookeeper/errands/status/runs 401']);
    }
    expect(gw.sim.tasks.list().length).toBe(tasks);
    const own = await gw.graphql(RUN, { d: 'zookeeper', n: 'status' }, 'alpha-admin');
    expect(own.errors).toBeUndefined();
    await gw.sim.tasks.wait(Number(own.data.runErrand.id));
  });
});

describe('Task.errandResults', () => {
  it('reads every instance of a run, non-zero exit codes included, sorted by instance', async () => {
    const id = gw.sim.tasks.startErrand('zookeeper', 'status');
    await gw.sim.tasks.wait(id);
    const reply = await gw.graphql(RESULTS, { id: String(id) });
    expect(reply.data.task.state).toBe('DONE');
    const results = reply.data.task.errandResults as {
      instance: { id: string };
      exitCode: number;
      stderr: string;
    }[];
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.instance.id)).toEqual(results.map((r) => r.instance.id).sort());
    const failed = results.filter((r) => r.exitCode !== 0);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.stderr).toContain('zookeeper/2: not serving requests');
  });

  it('is null, at no call, for a task that is not an errand run', async () => {
    const deploy = gw.sim.tasks.list().find((t) => t.description === 'create deployment')!;
    gw.resetCalls();
    const reply = await gw.graphql(RESULTS, { id: String(deploy.id) });
    expect(reply.data.task.errandResults).toBeNull();
    expect(gw.calls()).toEqual([`GET /tasks/${deploy.id}`]);
  });
});
