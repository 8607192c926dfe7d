/**
 * Starting tasks, shared by the HTTP routes, the seed and the programmatic API so all three make
 * identical tasks. Task teams are copied from the deployment when the task is created and never
 * change afterwards, as on a real Director.
 */
import type { CatalogRelease } from './catalog.js';
import { emptyDeployment } from './jobs/apply.js';
import { applyResolutionsJob, scanAndFixJob, scanJob } from './jobs/cck.js';
import { deleteDeploymentJob } from './jobs/delete.js';
import { deployJob } from './jobs/deploy.js';
import { type ErrandRequest, runErrandJob } from './jobs/errand.js';
import { type InstanceActionRequest, instanceActionJob } from './jobs/instance-action.js';
import { deleteOrphanDisksJob, orphanDiskJob } from './jobs/orphan-disks.js';
import type { PlanOptions } from './jobs/plan.js';
import { uploadReleaseJob, uploadStemcellJob } from './jobs/uploads.js';
import { vmsJob } from './jobs/vms.js';
import { checkManifest, type ManifestDoc } from './manifest.js';
import type { SimState } from './state.js';
import { type TaskEngine, TaskFailure } from './tasks.js';
import type { Task, TaskType } from './types.js';

export interface DeployInput {
  name: string;
  manifestText: string;
  doc: ManifestDoc;
  user: string;
  /** The deployer's `bosh.teams.<t>.admin` teams: a new deployment belongs to them. */
  adminTeams: string[];
  dryRun?: boolean;
  options?: Partial<PlanOptions>;
  contextId?: string;
  /**
   * The cloud and runtime configs to deploy with: `context` ids, or the deployment's current
   * ones for a state change without a manifest. Default: the latest visible to its teams.
   */
  configs?: ConfigIds;
}

export interface ConfigIds {
  cloud: number[];
  runtime: number[];
}

export class Operations {
  constructor(
    private readonly state: SimState,
    private readonly engine: TaskEngine,
  ) {}

  private teamsOf(deployment: string): string[] {
    return [...(this.state.deployments.get(deployment)?.teams ?? [])];
  }

  /** The latest cloud and runtime configs visible to `teams`, as a deploy takes them. */
  latestConfigIds(teams: readonly string[]): ConfigIds {
    return {
      cloud: this.state.latestSet('cloud', teams).map((c) => c.id),
      runtime: this.state.latestSet('runtime', teams).map((c) => c.id),
    };
  }

  /** `POST /deployments`: the row exists from now on, even if this first deploy fails. */
  deploy(input: DeployInput): Task {
    const isNew = !this.state.deployments.has(input.name);
    if (isNew) {
      this.state.deployments.set(input.name, emptyDeployment(input.name, input.adminTeams));
    }
    const teams = this.teamsOf(input.name);
    const dryRun = input.dryRun === true;
    const configs = input.configs ?? this.latestConfigIds(teams);
    return this.engine.enqueue(
      {
        type: 'update_deployment',
        description: dryRun ? 'create deployment (dry run)' : 'create deployment',
        user: input.user,
        deployment: input.name,
        contextId: input.contextId ?? '',
        teams,
      },
      (ctx) =>
        deployJob(ctx, {
          name: input.name,
          manifestText: input.manifestText,
          doc: input.doc,
          dryRun,
          options: { recreate: false, ...input.options },
          teams,
          isNew,
          configs,
        }),
    );
  }

  deleteDeployment(name: string, user: string, contextId = ''): Task {
    return this.engine.enqueue(
      {
        type: 'delete_deployment',
        description: `delete deployment ${name}`,
        user,
        deployment: name,
        contextId,
        teams: this.teamsOf(name),
      },
      (ctx) => deleteDeploymentJob(ctx, name),
    );
  }

  /** `vms`/`instances` with `format=full`. The context id is deliberately not stored on these. */
  vmStats(name: string, format: 'vms' | 'instances', user: string): Task {
    return this.engine.enqueue(
      {
        type: 'vms',
        description: 'retrieve vm-stats',
        user,
        deployment: name,
        contextId: '',
        teams: this.teamsOf(name),
      },
      (ctx) => vmsJob(ctx, name, format),
    );
  }

  uploadStemcell(name: string, os: string, version: string, user: string): Task {
    return this.engine.enqueue(
      {
        type: 'update_stemcell',
        description: 'create stemcell',
        user,
        deployment: null,
        contextId: '',
        teams: [],
      },
      (ctx) => uploadStemcellJob(ctx, name, os, version),
    );
  }

  uploadRelease(release: CatalogRelease, version: string, user: string): Task {
    return this.engine.enqueue(
      {
        type: 'update_release',
        description: 'create release',
        user,
        deployment: null,
        contextId: '',
        teams: [],
      },
      (ctx) => uploadReleaseJob(ctx, release, version),
    );
  }

  /** A task of `d` (its teams copied now), or of no deployment. */
  private start(
    type: TaskType,
    description: string,
    user: string,
    deployment: string | null,
    contextId: string,
    job: Parameters<TaskEngine['enqueue']>[1],
  ): Task {
    const teams = deployment === null ? [] : this.teamsOf(deployment);
    return this.engine.enqueue({ type, description, user, deployment, contextId, teams }, job);
  }

  /**
   * A converging state change without a manifest (`PUT .../jobs/...` with an empty body): the
   * stored manifest, deployed with the configs it has now. A deployment never deployed fails.
   */
  redeployStored(
    name: string,
    user: string,
    options: Partial<PlanOptions>,
    dryRun: boolean,
    contextId: string,
  ): Task {
    const d = this.state.deployments.get(name)!;
    const check = d.manifest === null ? null : checkManifest(d.manifest);
    if (!check?.ok) {
      return this.start('update_deployment', 'create deployment', user, name, contextId, () =>
        (function* (): Generator<undefined, string, void> {
          yield;
          throw new TaskFailure(440001, 'No successful BOSH deployment manifest available');
        })(),
      );
    }
    return this.deploy({
      name,
      manifestText: d.manifest!,
      doc: check.doc,
      user,
      adminTeams: [],
      dryRun,
      options,
      contextId,
      configs: { cloud: [...d.cloudConfigIds], runtime: [...d.runtimeConfigIds] },
    });
  }

  instanceAction(req: InstanceActionRequest, user: string, contextId: string): Task {
    return this.start('update_instance', `${req.action} instance`, user, req.deployment, contextId, (ctx) =>
      instanceActionJob(ctx, req),
    );
  }

  runErrand(req: ErrandRequest, user: string, contextId: string): Task {
    const description = `run errand ${req.name} from deployment ${req.deployment}`;
    return this.start('run_errand', description, user, req.deployment, contextId, (ctx) =>
      runErrandJob(ctx, req),
    );
  }

  /** Cloud-check tasks carry no context id. */
  scan(deployment: string, user: string): Task {
    return this.start('cck_scan', 'scan cloud', user, deployment, '', (ctx) => scanJob(ctx, deployment));
  }

  applyResolutions(deployment: string, resolutions: unknown, user: string): Task {
    return this.start('cck_apply', 'apply resolutions', user, deployment, '', (ctx) =>
      applyResolutionsJob(ctx, deployment, resolutions),
    );
  }

  scanAndFix(deployment: string, jobs: [string, number][], user: string): Task {
    return this.start('cck_scan_and_fix', 'scan and fix', user, deployment, '', (ctx) =>
      scanAndFixJob(ctx, deployment, jobs),
    );
  }

  deleteOrphanDisk(cid: string, user: string): Task {
    return this.start('delete_orphan_disks', 'delete orphan disks', user, null, '', (ctx) =>
      deleteOrphanDisksJob(ctx, cid),
    );
  }

  orphanDisk(cid: string, user: string): Task {
    return this.start('orphan_disk', 'orphan disk', user, null, '', (ctx) => orphanDiskJob(ctx, cid));
  }
}
