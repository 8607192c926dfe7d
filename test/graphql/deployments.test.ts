/**
 * Deployments, releases and stemcells, compared with the lists the simulated Director answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { directorGet } from './support.js';

interface WireDeployment {
  name: string;
  teams: string[];
  cloud_config: string;
  locked: boolean;
  releases: { name: string; version: string }[];
  stemcells: { name: string; version: string }[];
}

interface WireRelease {
  name: string;
  release_versions: {
    version: string;
    commit_hash: string | null;
    uncommitted_changes: boolean;
    currently_deployed: boolean;
    job_names: string[];
  }[];
}

interface WireStemcell {
  name: string;
  version: string;
  operating_system: string | null;
  cid: string;
  cpi: string;
  api_version: number | null;
  deployments: { name: string }[];
}

let gw: TestGateway;
let wireDeployments: WireDeployment[];
let wireReleases: WireRelease[];
let wireStemcells: WireStemcell[];
beforeAll(async () => {
  gw = await startTestGateway();
  wireDeployments = (await directorGet(gw, '/deployments', 'admin')) as WireDeployment[];
  wireReleases = (await directorGet(gw, '/releases', 'admin')) as WireRelease[];
  wireStemcells = (await directorGet(gw, '/stemcells', 'admin')) as WireStemcell[];
});
afterAll(() => gw.close());

describe('deployments', () => {
  it('lists the deployments in the Director order, with teams, cloud config and lock', async () => {
    const reply = await gw.graphql('{ deployments { name teams cloudConfig locked } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deployments).toEqual(
      wireDeployments.map((d) => ({
        name: d.name,
        teams: d.teams,
        cloudConfig: d.cloud_config.toUpperCase(),
        locked: d.locked,
      })),
    );
    expect(reply.data.deployments.map((d: { cloudConfig: string }) => d.cloudConfig)).toContain('OUTDATED');
  });

  it('gives each deployment the release versions it names, with the details of /releases', async () => {
    const reply = await gw.graphql(`{ deployments { name releases {
      name version commitHash currentlyDeployed jobNames release { name }
    } } }`);
    for (const wire of wireDeployments) {
      const got = reply.data.deployments.find((d: { name: string }) => d.name === wire.name);
      expect(got.releases).toEqual(
        wire.releases.map((ref) => {
          const version = wireReleases
            .find((r) => r.name === ref.name)!
            .release_versions.find((v) => v.version === ref.version)!;
          return {
            name: ref.name,
            version: ref.version,
            commitHash: version.commit_hash,
            currentlyDeployed: version.currently_deployed,
            jobNames: version.job_names,
            release: { name: ref.name },
          };
        }),
      );
    }
  });

  it('gives each deployment its stemcells as /stemcells lists them', async () => {
    const reply = await gw.graphql('{ deployments { name stemcells { name version cid operatingSystem } } }');
    for (const wire of wireDeployments) {
      const got = reply.data.deployments.find((d: { name: string }) => d.name === wire.name);
      expect(got.stemcells).toEqual(
        wire.stemcells.map((ref) => {
          const s = wireStemcells.find((w) => w.name === ref.name && w.version === ref.version)!;
          return { name: s.name, version: s.version, cid: s.cid, operatingSystem: s.operating_system };
        }),
      );
    }
  });
});

describe('deployment(name)', () => {
  it('answers one deployment with its last deployed manifest', async () => {
    const reply = await gw.graphql('{ deployment(name: "zookeeper") { name teams manifest } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deployment).toEqual({
      name: 'zookeeper',
      teams: ['alpha'],
      manifest: gw.sim.deployments.manifest('zookeeper'),
    });
  });

  it.each([
    ['{ name vms { cid } }', 'GET /deployments/no-such-deployment/vms'],
    ['{ vms { cid details { jobState } } }', 'GET /deployments/no-such-deployment/vms?format=full'],
    ['{ instances { id } }', 'GET /deployments/no-such-deployment/instances'],
    ['{ name manifest }', 'GET /deployments/no-such-deployment'],
    ['{ name }', 'GET /deployments/no-such-deployment'],
    // teams needs the list entry: the list decides, as it always did.
    ['{ name teams vms { cid } }', 'GET /deployments'],
  ])(
    'answers null, without an error, for a name the Director does not have: %s costs %s',
    async (selection, call) => {
      gw.resetCalls();
      const reply = await gw.graphql(`{ deployment(name: "no-such-deployment") ${selection} }`);
      expect(reply.errors).toBeUndefined();
      expect(reply.data).toEqual({ deployment: null });
      // The route the selection calls anyway says 404 (code 70000): the whole list is not needed.
      expect(gw.calls()).toEqual([call]);
    },
  );

  it('answers a deployment asked by name for its own routes without listing every deployment', async () => {
    gw.resetCalls();
    const reply = await gw.graphql('{ deployment(name: "zookeeper") { name manifest } }');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.deployment).toEqual({
      name: 'zookeeper',
      manifest: gw.sim.deployments.manifest('zookeeper'),
    });
    expect(gw.calls()).toEqual(['GET /deployments/zookeeper']);
  });
});

describe('releases', () => {
  it('lists every release with every version, oldest first, as the Director does', async () => {
    const reply = await gw.graphql(`{ releases { name versions {
      name version commitHash uncommittedChanges currentlyDeployed jobNames release { name }
    } } }`);
    expect(reply.errors).toBeUndefined();
    expect(reply.data.releases).toEqual(
      wireReleases.map((r) => ({
        name: r.name,
        versions: r.release_versions.map((v) => ({
          name: r.name,
          version: v.version,
          commitHash: v.commit_hash,
          uncommittedChanges: v.uncommitted_changes,
          currentlyDeployed: v.currently_deployed,
          jobNames: v.job_names,
          release: { name: r.name },
        })),
      })),
    );
    const dev = reply.data.releases.find((r: { name: string }) => r.name === 'sim-app');
    expect(dev.versions.map((v: { version: string }) => v.version)).toEqual(['0+dev.9', '0+dev.17']);
    expect(dev.versions.every((v: { uncommittedChanges: boolean }) => v.uncommittedChanges)).toBe(true);
  });
});

describe('stemcells', () => {
  it('lists every stemcell with the deployments that use it', async () => {
    const reply = await gw.graphql(
      '{ stemcells { name version operatingSystem cid cpi apiVersion deployments { name } } }',
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data.stemcells).toEqual(
      wireStemcells.map((s) => ({
        name: s.name,
        version: s.version,
        operatingSystem: s.operating_system,
        cid: s.cid,
        cpi: s.cpi === '' ? null : s.cpi,
        apiVersion: s.api_version,
        deployments: s.deployments.map((d) => ({ name: d.name })),
      })),
    );
    expect(reply.data.stemcells.some((s: { deployments: unknown[] }) => s.deployments.length === 0)).toBe(
      true,
    );
  });

  it('shows a team admin only the deployments that admin may read', async () => {
    const reply = await gw.graphql('{ stemcells { version deployments { name } } }', undefined, 'beta-admin');
    expect(reply.errors).toBeUndefined();
    expect(reply.data.stemcells).toHaveLength(wireStemcells.length);
    for (const s of reply.data.stemcells) {
      const all = wireStemcells.find((w) => w.version === s.version)!.deployments.map((d) => d.name);
      expect(s.deployments).toEqual(all.filter((n) => n === 'redis').map((name) => ({ name })));
    }
  });
});
