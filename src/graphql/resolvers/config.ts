import type { ConfigResolvers } from '../../generated/resolvers.js';
import { directorTime } from '../convert.js';

export const Config: ConfigResolvers = {
  id: (c) => c.id,
  type: (c) => c.type,
  name: (c) => c.name,
  content: (c) => c.content,
  team: (c) => c.team ?? null,
  createdAt: (c) => directorTime(c.created_at),
  current: (c) => c.current === true,
  unchanged: (c) => c.unchanged ?? null,
};
