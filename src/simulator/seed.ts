/**
 * The seeded Director. Its history is not written by hand: it is replayed through the real task
 * engine on a private manual clock set eight days before the simulator's start, so the seeded
 * tasks have the same event logs, debug logs and results live tasks would have, and their times
 * lie in the past relative to the clock's start. Every id, cid, ip and uuid comes from the seeded
 * PRNG, so the same seed (and start time) gives the same Director.
 *
 * Timeline (relative to start):
 *  -8d  cloud config v1, runtime config "dns"; stemcell 1.404; the older release versions
 *  -6d  stemcell 1.445; the newer release versions
 *  -5d  deploy cf (admin); deploy zookeeper with 3 instances (alpha-admin)
 *  -4d  vm stats of cf; deploy then delete nginx-test (alpha-admin)
 *  -3d  cloud config v2; a concourse deploy cancelled mid-update, then a successful one
 *  -2d  zookeeper scaled to 5; a second deploy sent meanwhile fails on the lock (code 100)
 *  -1d  a redis deploy failing on its canary (400007), then a fixed one (beta-admin)
 *  -20h the `smoke-tests` errand on zookeeper passes (alpha-admin)
 *  -18h the `status` errand on zookeeper: zookeeper/2 exits 1 (alpha-admin)
 *  -12h the agent of cf's diego-cell/2 stops answering; a cloud-check scan of cf finds it
 * Afterwards concourse's worker/1 is left ignored, and seed-inventory.ts adds orphaned disks and
 * VMs, an inactive VM and the deployments' variables.
 */
import {
  ALPHA_CLOUD_CONFIG,
  CATALOG_RELEASES,
  CLOUD_CONFIG_V1,
  CLOUD_CONFIG_V2,
  CPI_CONFIG,
  RUNTIME_CONFIG_DEFAULT,
  RUNTIME_CONFIG_DNS,
  STEMCELL_NAME,
  STEMCELL_OS,
} from './catalog.js';
import { ManualClock } from './clock.js';
import { checkManifest } from './manifest.js';
import type { Operations } from './operations.js';
import { seedInventory } from './seed-inventory.js';
import {
  CF_MANIFEST,
  CONCOURSE_MANIFEST,
  NGINX_MANIFEST,
  redisManifest,
  zookeeperManifest,
} from './seed-manifests.js';
import type { SimState } from './state.js';
import type { TaskEngine } from './tasks.js';
import type { Task } from './types.js';
import { SEEDED_USERS } from './users.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Seeded tasks step every 4 s, so a seeded deploy took minutes, not the demo's seconds. */
const SEED_TICK_MS = 4_000;

function setIgnore(state: SimState, deployment: string, group: string, index: number, ignore: boolean): void {
  const instance = state.deployments
    .get(deployment)
    ?.instances.find((i) => i.group === group && i.index === index);
  if (instance) instance.ignore = ignore;
}

export function seedDirector(state: SimState, engine: TaskEngine, ops: Operations): void {
  const mainClock = engine.clock;
  const start = mainClock.now();
  const history = new ManualClock(start - 8 * DAY);
  const savedTick = engine.tickMs;
  engine.clock = history;
  engine.setTickMs(SEED_TICK_MS);

  const at = (offset: number) => {
    const target = start + offset;
    if (target < history.now()) throw new Error('seed timeline overlaps: a step ran past the next one');
    history.advanceSync(target - history.now());
  };
  const finish = () => {
    while (engine.activeCount() > 0) history.advanceSync(SEED_TICK_MS);
  };
  const deploy = (text: string, user: string, teams: string[]): Task => {
    const check = checkManifest(text);
    if (!check.ok) throw new Error(`seed manifest is invalid: ${check.description}`);
    return ops.deploy({ name: check.name, manifestText: text, doc: check.doc, user, adminTeams: teams });
  };
  const admin = SEEDED_USERS.admin.username;
  const alpha = SEEDED_USERS.alphaAdmin.username;
  const beta = SEEDED_USERS.betaAdmin.username;
  /** A config as `bosh update-<type>-config` (or `update-config` for a team's) leaves it. */
  const config = (type: string, name: string, content: string, user: string, team: string | null = null) => {
    state.addConfig({ type, name, content, createdAt: history.now(), team });
    const legacy = team === null && ['cloud', 'runtime', 'cpi'].includes(type);
    state.audit.record(
      {
        user,
        action: legacy ? 'update' : 'create',
        objectType: legacy ? `${type}-config` : `config/${type}`,
        objectName: type === 'cpi' ? null : name,
      },
      history.now(),
    );
  };

  at(-8 * DAY);
  state.startedAt = start;
  config('cloud', 'default', CLOUD_CONFIG_V1, admin);
  config('runtime', 'dns', RUNTIME_CONFIG_DNS, admin);
  config('runtime', 'default', RUNTIME_CONFIG_DEFAULT, admin);
  config('cpi', 'default', CPI_CONFIG, admin);
  config('cloud', 'alpha', ALPHA_CLOUD_CONFIG, alpha, 'alpha');
  at(-8 * DAY + HOUR);
  ops.uploadStemcell(STEMCELL_NAME, STEMCELL_OS, '1.404', admin);
  finish();
  at(-8 * DAY + 2 * HOUR);
  for (const release of CATALOG_RELEASES) {
    ops.uploadRelease(release, release.versions[0], admin);
    finish();
  }

  at(-6 * DAY);
  ops.uploadStemcell(STEMCELL_NAME, STEMCELL_OS, '1.445', admin);
  finish();
  for (const release of CATALOG_RELEASES) {
    ops.uploadRelease(release, release.versions[1], admin);
    finish();
  }

  at(-5 * DAY);
  deploy(CF_MANIFEST, admin, []);
  finish();
  at(-5 * DAY + 4 * HOUR);
  deploy(zookeeperManifest(3), alpha, ['alpha']);
  finish();

  at(-4 * DAY);
  ops.vmStats('cf', 'vms', admin);
  finish();
  at(-4 * DAY + 2 * HOUR);
  deploy(NGINX_MANIFEST, alpha, ['alpha']);
  finish();
  at(-4 * DAY + 5 * HOUR);
  ops.deleteDeployment('nginx-test', alpha);
  finish();

  at(-3 * DAY);
  config('cloud', 'default', CLOUD_CONFIG_V2, admin);
  at(-3 * DAY + 2 * HOUR);
  const cancelled = deploy(CONCOURSE_MANIFEST, admin, []);
  history.advanceSync(30 * SEED_TICK_MS);
  engine.cancel(cancelled.id);
  finish();
  at(-3 * DAY + 3 * HOUR);
  deploy(CONCOURSE_MANIFEST, admin, []);
  finish();

  at(-2 * DAY);
  // zookeeper/2 was under investigation (`bosh ignore`) while the group grew, so the scale-up
  // logged the "ignored instances" warning and left it alone.
  setIgnore(state, 'zookeeper', 'zookeeper', 2, true);
  deploy(zookeeperManifest(5), alpha, ['alpha']);
  history.advanceSync(3 * SEED_TICK_MS);
  deploy(zookeeperManifest(5), alpha, ['alpha']);
  finish();
  setIgnore(state, 'zookeeper', 'zookeeper', 2, false);

  at(-1 * DAY);
  deploy(redisManifest(true), beta, ['beta']);
  finish();
  at(-1 * DAY + 2 * HOUR);
  deploy(redisManifest(false), beta, ['beta']);
  finish();

  at(-20 * HOUR);
  const errand = (name: string) =>
    ops.runErrand(
      { deployment: 'zookeeper', name, keepAlive: false, whenChanged: false, filters: [] },
      alpha,
      '',
    );
  errand('smoke-tests');
  finish();
  at(-18 * HOUR);
  errand('status');
  finish();

  at(-12 * HOUR);
  const cell = state.deployments.get('cf')?.instances.find((i) => i.group === 'diego-cell' && i.index === 2);
  if (cell?.vm) cell.vm.unresponsive = true;
  ops.scan('cf', admin);
  finish();
  setIgnore(state, 'concourse', 'worker', 1, true);
  seedInventory(state, start);

  engine.clock = mainClock;
  engine.setTickMs(savedTick);
}
