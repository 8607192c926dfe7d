/**
 * Lists an operation will need, asked for together with the list that leads to them. A
 * deployments page selects each deployment's stemcells (and maybe its releases' details), whose
 * resolvers can only run once `GET /deployments` has answered: the calls would go one after the
 * other. The selection already says those lists will be read, so they start at once, and the page
 * waits for one Director round trip instead of two, with the same calls (as a hand-written client
 * would do it). When the answer turns out not to need one (no deployment at all), that call was
 * spent for nothing; an answer is never different for it.
 */
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import type { Loaders } from './loaders.js';
import { RELEASE_LIST_FIELDS } from './resolvers/release.js';
import { type Selected, selectedFields } from './selection.js';

/** Starts the lists that the deployments selected by `info` will read. */
export function prefetchForDeployments(info: GraphQLResolveInfo, loaders: Loaders): void {
  const selected = selectedFields(info);
  if (selected.has('stemcells')) loaders.startEarly('stemcells');
  const releases = selected.get('releases');
  if (releases && readsReleaseList(info, releases)) loaders.startEarly('releases');
}

/** True when a deployment's `releases` selection has a field only `GET /releases` answers. */
function readsReleaseList(info: GraphQLResolveInfo, releases: readonly FieldNode[]): boolean {
  const versionFields = selectedFields(info, releases);
  if (anyOf(versionFields, RELEASE_LIST_FIELDS.releaseVersion)) return true;
  const release = versionFields.get('release');
  return release !== undefined && anyOf(selectedFields(info, release), RELEASE_LIST_FIELDS.release);
}

function anyOf(selected: Selected, fields: ReadonlySet<string>): boolean {
  for (const name of selected.keys()) if (fields.has(name)) return true;
  return false;
}
