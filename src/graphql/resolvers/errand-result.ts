import type { ErrandResultResolvers } from '../../generated/resolvers.js';

export const ErrandResult: ErrandResultResolvers = {
  errandName: (r) => r.errand_name,
  instance: (r) => ({ group: r.instance.group, id: r.instance.id }),
  exitCode: (r) => r.exit_code,
  stdout: (r) => r.stdout ?? '',
  stderr: (r) => r.stderr ?? '',
  logsBlobstoreId: (r) => r.logs?.blobstore_id ?? null,
};
