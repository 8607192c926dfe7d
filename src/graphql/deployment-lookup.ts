/**
 * `Query.deployment(name:)` at the REST floor. When every selected field is one a per-deployment
 * route answers (`/deployments/{name}`, its `vms`, its `instances`), the route the selection calls
 * anyway also tells whether the deployment exists for this caller: the Director looks the name up
 * before anything else and answers 404 (code 70000) when it has no such deployment, and 401 (code
 * 600000) when the caller may not read it. Both are null, as the filtered list gives them. Other
 * fields (teams, releases, locks, ...) need the list entry: `GET /deployments`, as before.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { isDirectorError } from '../director/errors.js';
import type { WireDeployment } from '../director/types.js';
import { isNotFound } from './errors.js';
import type { Loaders } from './loaders.js';
import { onlyFrom, type Selected, selectedFields } from './selection.js';
import { answeredByVmsTask } from './vm-lines.js';

/** The `Deployment` fields that need nothing but the deployment's name and its own routes. */
const BY_NAME: ReadonlySet<string> = new Set(['__typename', 'name', 'manifest', 'vms', 'instances']);

export async function deploymentByName(
  name: string,
  loaders: Loaders,
  info: GraphQLResolveInfo,
): Promise<WireDeployment | null> {
  const listed = async () => (await loaders.deploymentsByName()).get(name) ?? null;
  const selected = selectedFields(info);
  if (!onlyFrom(selected, BY_NAME)) return listed();
  try {
    await probe(selected, name, loaders, info);
  } catch (error) {
    if (isNotFound(error) || isDirectorError(error, 'FORBIDDEN')) return null;
    // Not conclusive (the Director failed, or the vms task did not end done): the list decides,
    // and the fields below meet the same error from the same loader, as they did before.
    return listed();
  }
  // Only BY_NAME fields are selected: none of them reads `teams` or the other list fields.
  return { name, teams: [] };
}

/** The first route the selection calls, through its loader, so the call is made once. */
function probe(
  selected: Selected,
  name: string,
  loaders: Loaders,
  info: GraphQLResolveInfo,
): Promise<unknown> {
  const vms = selected.get('vms');
  if (vms)
    return answeredByVmsTask(selectedFields(info, vms)) ? loaders.vmsFull.load(name) : loaders.vms.load(name);
  if (selected.has('instances')) return loaders.instances.load(name);
  return loaders.deploymentManifest.load(name);
}
