/**
 * The seeded users. A real Director's basic-auth users come from its config, each with optional
 * scopes, so read-only users and team admins exist under basic auth too. In UAA mode the same
 * names are UAA users (password grant through the `bosh_cli` client) and also clients
 * (client_credentials with the same secret), so any of them can get a token either way.
 */
export interface SimUser {
  username: string;
  password: string;
  scopes: string[];
}

export type SeededUserKey = 'admin' | 'reader' | 'alphaAdmin' | 'betaAdmin' | 'alphaReader';

export const SEEDED_USERS: Readonly<Record<SeededUserKey, SimUser>> = {
  admin: { username: 'admin', password: 'admin', scopes: ['bosh.admin'] },
  reader: { username: 'reader', password: 'reader', scopes: ['bosh.read'] },
  alphaAdmin: { username: 'alpha-admin', password: 'alpha-admin', scopes: ['bosh.teams.alpha.admin'] },
  betaAdmin: { username: 'beta-admin', password: 'beta-admin', scopes: ['bosh.teams.beta.admin'] },
  alphaReader: { username: 'alpha-reader', password: 'alpha-reader', scopes: ['bosh.teams.alpha.read'] },
};

/** Finds a seeded user by key (`alphaAdmin`) or by user name (`alpha-admin`). */
export function findUser(name: string): SimUser | undefined {
  const byKey = (SEEDED_USERS as Record<string, SimUser>)[name];
  if (byKey) return byKey;
  return Object.values(SEEDED_USERS).find((u) => u.username === name);
}

/** Who made a request, once authenticated. */
export interface Identity {
  username: string;
  scopes: string[];
}
