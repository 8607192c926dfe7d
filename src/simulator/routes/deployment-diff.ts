/**
 * `POST /deployments/{d}/diff` (`deployments_controller.rb:488-541`), which `bosh deploy` calls
 * before deploying. It compares the stored manifest merged with the configs it was last deployed
 * with against the posted one merged with the latest cloud and runtime configs visible to the
 * deployment's teams (diff/merged-manifest.ts), and answers only the changed keys, with their
 * parents and `name:` anchors (diff/changeset.ts), plus the config ids the deploy should use.
 *
 * Its permission check runs before its content-type check: admin on d, or `create_deployment`
 * when d does not exist (which is not a 404 here). Every failure after that, a bad or empty
 * manifest included, is a 200 with an empty diff and an `error`, and no `context`.
 */
import { parse } from 'yaml';
import { changeset } from '../diff/changeset.js';
import { mergedManifest } from '../diff/merged-manifest.js';
import { header, type RequestContext } from '../http/context.js';
import { json, notFound, type SimResponse } from '../http/response.js';
import { mediaType, type Router } from '../http/router.js';
import { isRecord } from '../manifest.js';

/** Where a Ruby backtrace would point; clients only show the first line. */
const BACKTRACE =
  '/var/vcap/packages/director/gem_home/ruby/3.3.0/gems/bosh-director-0.0.0/lib/bosh/director/api/controllers/deployments_controller.rb:491';

function badManifest(text: string): Record<string, unknown> {
  if (text === '') throw new Error('#<Bosh::Director::BadManifest: Manifest should not be empty>');
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(
      `#<Bosh::Director::BadManifest: Incorrect YAML structure of the uploaded manifest: #<Psych::SyntaxError: ${reason}>>`,
    );
  }
  if (!isRecord(doc)) throw new Error('#<Bosh::Director::BadManifest: Manifest should be a hash>');
  return doc;
}

function diff(ctx: RequestContext, name: string): SimResponse {
  const access = ctx.access!;
  const { state } = ctx.core;
  const d = state.deployments.get(name);
  if (d ? !access.canOn(d.teams, 'admin') : !access.can('create_deployment')) {
    return d ? access.refuseOn(d.teams, 'admin') : access.refuse('create_deployment');
  }
  if (mediaType(header(ctx, 'content-type')) !== 'text/yaml') return notFound(ctx.rawPath);
  try {
    const after = badManifest(ctx.body.toString('utf8'));
    if (d) after.name = d.name;
    const teams = d ? d.teams : access.adminTeams;
    const byIds = (ids: number[]) => state.configs.filter((c) => ids.includes(c.id));
    const before = d
      ? mergedManifest(
          state,
          d.manifest ? badManifest(d.manifest) : {},
          byIds(d.cloudConfigIds),
          byIds(d.runtimeConfigIds),
          teams,
        )
      : {};
    const cloud = state.latestSet('cloud', teams);
    const runtime = state.latestSet('runtime', teams);
    const context = {
      cloud_config_ids: cloud.map((c) => c.id),
      runtime_config_ids: runtime.map((c) => c.id),
    };
    const redacting = ctx.query.get('redact') !== 'false';
    return json(200, {
      context,
      diff: changeset(before, mergedManifest(state, after, cloud, runtime, teams), redacting),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const inspected = reason.startsWith('#<') ? reason : `#<RuntimeError: ${reason}>`;
    return json(200, { diff: [], error: `Unable to diff manifest: ${inspected}\n${BACKTRACE}` });
  }
}

export function registerDeploymentDiff(router: Router): void {
  router.add('POST', '/deployments/:deployment/diff', (ctx, p) => diff(ctx, p.deployment!), {
    scope: 'none',
  });
}
