/**
 * The `Deployment` fields of the operations endpoints (schema: events, locks, certificates,
 * errands, cloud check); the core fields stay in deployment.ts.
 */
import type { WireDeploymentCertificate } from '../../director/types.js';
import type { DeploymentResolvers } from '../../generated/resolvers.js';
import { eventConnection } from '../event-pages.js';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `CertificateExpiry` of a deployment's certificate (`expiry_date` is RFC 3339). */
function certificate(c: WireDeploymentCertificate) {
  return { name: c.name, expiresAt: new Date(c.expiry_date).toISOString(), daysLeft: c.days_left };
}

export const DeploymentOperations: DeploymentResolvers = {
  events: (d, { first, after }, { loaders }) =>
    eventConnection(loaders, { deployment: d.name }, first, after),
  // `GET /locks` lists every lock; a deployment's is `type: deployment` with its name alone.
  lock: async (d, _args, { loaders }) =>
    (await loaders.locks()).find(
      (l) => l.type === 'deployment' && l.resource.length === 1 && l.resource[0] === d.name,
    ) ?? null,
  // The Director lists them in no order; bosh-cli sorts them by name, and so do we.
  variables: async (d, _args, { loaders }) =>
    (await loaders.variables.load(d.name))
      .map((v) => ({ id: v.id, name: v.name }))
      .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id)),
  certificateExpiry: async (d, _args, { loaders }) =>
    (await loaders.certificateExpiry.load(d.name)).map(certificate),
  errands: async (d, _args, { loaders }) =>
    (await loaders.errands.load(d.name)).map((e) => ({ name: e.name })),
  problems: (d, _args, { loaders }) => loaders.problems.load(d.name),
};
