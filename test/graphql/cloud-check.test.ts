/**
 * Cloud check from the graph: `scanDeployment` starts the Director's scan, `Deployment.problems`
 * lists what it found, `resolveProblems` applies resolutions, and the simulated Director's VMs
 * change accordingly. Permissions are the Director's.
 */
import { describe, expect, it } from 'vitest';
import { fileGateway } from '../helpers/file-gateway.js';
import { codes, writes } from './support.js';

const SCAN =
  'mutation($d: String!) { scanDeployment(deployment: $d) { id state description deploymentName } }';
const RESOLVE = `mutation($d: String!, $r: [ProblemResolutionInput!]!) {
  resolveProblems(deployment: $d, resolutions: $r) { id description deploymentName }
}`;
const PROBLEMS = '{ deployment(name: "cf") { problems { id type instance resolutions { name } } } }';

const gw = fileGateway();

describe('scanDeployment and resolveProblems', () => {
  it('is refused to a reader and to a team admin on cf, starting nothing', async () => {
    const tasks = gw.sim.tasks.list().length;
    const [problem] = (await gw.graphql(PROBLEMS)).data.deployment.problems;
    for (const user of ['reader', 'alpha-admin']) {
      gw.resetCalls();
      expect(codes(await gw.graphql(SCAN, { d: 'cf' }, user)), user).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual(['POST /deployments/cf/scans 401']);
      gw.resetCalls();
      const resolve = await gw.graphql(
        RESOLVE,
        { d: 'cf', r: [{ problemId: problem.id, resolution: 'ignore' }] },
        user,
      );
      expect(codes(resolve), user).toEqual(['FORBIDDEN']);
      expect(writes(gw)).toEqual(['PUT /deployments/cf/problems 401']);
    }
    expect(gw.sim.tasks.list().length).toBe(tasks);
    expect((await gw.graphql(PROBLEMS)).data.deployment.problems.map((p: { id: string }) => p.id)).toEqual([
      problem.id,
    ]);
  });

  it('refuses an empty list, a problem named twice and a non-numeric id before any call', async () => {
    for (const r of [
      [],
      [
        { problemId: '1', resolution: 'ignore' },
        { problemId: '1', resolution: 'recreate_vm' },
      ],
      [{ problemId: 'one', resolution: 'ignore' }],
    ]) {
      expect(codes(await gw.graphql(RESOLVE, { d: 'cf', r })), JSON.stringify(r)).toEqual(['BAD_USER_INPUT']);
    }
    expect(gw.calls()).toEqual([]);
  });

  it('scans, finds the unresponsive agent again, recreates its VM, and a rescan finds nothing', async () => {
    const scan = await gw.graphql(SCAN, { d: 'cf' });
    expect(scan.errors).toBeUndefined();
    const task = scan.data.scanDeployment;
    expect(task).toMatchObject({ description: 'scan cloud', deploymentName: 'cf' });
    expect(gw.calls()).toEqual(['POST /deployments/cf/scans', `GET /tasks/${task.id}`]);
    expect((await gw.sim.tasks.wait(Number(task.id))).result).toBe('scan complete');

    const [problem] = (await gw.graphql(PROBLEMS)).data.deployment.problems;
    expect(problem).toMatchObject({ type: 'unresponsive_agent' });
    expect(problem.instance).toMatch(/^diego-cell\//);
    gw.resetCalls();
    const resolve = await gw.graphql(RESOLVE, {
      d: 'cf',
      r: [{ problemId: problem.id, resolution: 'recreate_vm' }],
    });
    expect(resolve.errors).toBeUndefined();
    expect(resolve.data.resolveProblems).toMatchObject({
      description: 'apply resolutions',
      deploymentName: 'cf',
    });
    expect(gw.calls()).toEqual([
      'PUT /deployments/cf/problems',
      `GET /tasks/${resolve.data.resolveProblems.id}`,
    ]);
    const applied = await gw.sim.tasks.wait(Number(resolve.data.resolveProblems.id));
    expect(applied).toMatchObject({ state: 'done', result: '1 resolved' });
    expect((await gw.graphql(PROBLEMS)).data.deployment.problems).toEqual([]);

    const rescan = await gw.graphql(SCAN, { d: 'cf' });
    await gw.sim.tasks.wait(Number(rescan.data.scanDeployment.id));
    expect((await gw.graphql(PROBLEMS)).data.deployment.problems).toEqual([]);
  });
});
