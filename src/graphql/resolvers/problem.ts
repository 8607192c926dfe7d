import type { ProblemResolvers } from '../../generated/resolvers.js';

/**
 * The Director's problem answer names only the instance group; the instance is in its
 * description, quoted as `'<group>/<id> (<index>)'` or `(<group>/<id>, ...)`.
 */
const INSTANCE = /['(]([\w.-]+\/[0-9a-f]{8}-[0-9a-f-]{27})[ ,')]/i;

export const Problem: ProblemResolvers = {
  id: (p) => String(p.id),
  type: (p) => p.type,
  description: (p) => p.description,
  resolutions: (p) => (p.resolutions ?? []).map((r) => ({ name: r.name, plan: r.plan })),
  instanceGroup: (p) => p.instance_group,
  instance: (p) => INSTANCE.exec(p.description)?.[1] ?? null,
  data: (p) => p.data ?? null,
};
