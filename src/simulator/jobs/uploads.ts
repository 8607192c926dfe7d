/**
 * Release and stemcell uploads (`update_release`, `update_stemcell`). The simulator has no upload
 * endpoints; these jobs write the seeded history (with the stage names real uploads log) and add
 * the release version or stemcell to the Director's catalog.
 */
import { createHash } from 'node:crypto';
import type { CatalogRelease } from '../catalog.js';
import type { Job, JobContext } from '../tasks.js';

function fingerprint(...parts: string[]): string {
  return createHash('sha1').update(parts.join('/')).digest('hex');
}

function* single(ctx: JobContext, stage: string, task = stage): Job {
  const t = ctx.events.stage(stage, [], 1).start(task);
  yield;
  t.finish();
  return '';
}

export function* uploadStemcellJob(ctx: JobContext, name: string, os: string, version: string): Job {
  const cid = ctx.rng.uuid();
  const stage = ctx.events.stage('Update stemcell', [], 5);
  const steps = [
    'Extracting stemcell archive',
    'Verifying stemcell manifest',
    'Checking if this stemcell already exists',
    `Uploading stemcell ${name}/${version} to the cloud`,
    `Save stemcell ${name}/${version} (${cid})`,
  ];
  for (const step of steps) {
    const t = stage.start(step);
    ctx.debug(step, 'INFO');
    yield;
    t.finish();
  }
  ctx.state.stemcells.push({ id: ctx.state.nextStemcellId(), name, os, version, cid, apiVersion: 3 });
  return `/stemcells/${name}/${version}`;
}

export function* uploadReleaseJob(ctx: JobContext, release: CatalogRelease, version: string): Job {
  yield* single(ctx, 'Extracting release');
  yield* single(ctx, 'Verifying manifest');
  yield* single(ctx, 'Resolving package dependencies');
  const packages = ctx.events.stage('Creating new packages', [], release.packages.length);
  for (const pkg of release.packages) {
    const t = packages.start(`${pkg}/${fingerprint(release.name, version, pkg)}`);
    yield;
    t.finish();
  }
  const jobs = ctx.events.stage('Creating new jobs', [], release.jobs.length);
  for (const job of release.jobs) {
    const t = jobs.start(`${job}/${fingerprint(release.name, version, 'job', job)}`);
    yield;
    t.finish();
  }
  yield* single(ctx, 'Release has been created', `${release.name}/${version}`);
  let entry = ctx.state.releases.get(release.name);
  if (!entry) {
    entry = { name: release.name, versions: [] };
    ctx.state.releases.set(release.name, entry);
  }
  entry.versions.push({
    version,
    commitHash: ctx.rng.hex(8),
    uncommittedChanges: release.dev === true,
    jobs: [...release.jobs],
    packages: [...release.packages],
  });
  return `Created release '${release.name}/${version}'`;
}
