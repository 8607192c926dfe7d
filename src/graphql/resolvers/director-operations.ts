import type { DirectorResolvers } from '../../generated/resolvers.js';

/** The `Director` fields of the operations endpoints; the `GET /info` fields stay in director.ts. */
export const DirectorOperations: DirectorResolvers = {
  // The Director says `certificate_path`; as a name it reads like a deployment certificate's.
  certificateExpiry: async (_info, _args, { loaders }) =>
    (await loaders.directorCertificateExpiry()).map((c) => ({
      name: c.certificate_path,
      expiresAt: new Date(c.expiry).toISOString(),
      daysLeft: c.days_left,
    })),
};
