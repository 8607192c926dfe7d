/**
 * Who may do what, following the Director's permission authorizer:
 *
 * | operation                                   | who may                                              |
 * |---------------------------------------------|------------------------------------------------------|
 * | list tasks, deployments, releases, stemcells| director admin/read, or any team admin               |
 * | read a task, its event/result output        | director admin/read, or team admin/read of its teams |
 * | debug/cpi output                            | director admin, or team admin of the task's teams    |
 * | read a deployment (manifest, vms, instances)| director admin/read, or team admin/read of it        |
 * | deploy                                      | director admin, or any team admin (own deployments)  |
 * | delete a deployment                         | director admin, or team admin of it                  |
 * | cancel tasks                                | director admin                                       |
 * | locks                                       | director admin/read                                  |
 *
 * A refusal is HTTP 401 with code 600000 (never 403), listing the scopes that would do.
 */
import type { SimResponse } from './http/response.js';
import { directorError } from './http/response.js';
import type { Identity } from './users.js';

const TEAM_SCOPE = /^bosh\.teams\.([^.]+)\.(admin|read)$/;

export class Access {
  readonly isAdmin: boolean;
  readonly isRead: boolean;
  readonly adminTeams: string[];
  readonly readTeams: string[];

  constructor(
    readonly identity: Identity,
    private readonly directorUuid: string,
  ) {
    const s = new Set(identity.scopes);
    this.isAdmin = s.has('bosh.admin') || s.has(`bosh.${directorUuid}.admin`);
    this.isRead = this.isAdmin || s.has('bosh.read') || s.has(`bosh.${directorUuid}.read`);
    const admin: string[] = [];
    const read: string[] = [];
    for (const scope of identity.scopes) {
      const m = TEAM_SCOPE.exec(scope);
      if (!m) continue;
      const team = m[1] as string;
      if (m[2] === 'admin') admin.push(team);
      read.push(team);
    }
    this.adminTeams = admin;
    this.readTeams = read;
  }

  canList(): boolean {
    return this.isRead || this.adminTeams.length > 0;
  }

  canRead(teams: readonly string[]): boolean {
    return this.isRead || teams.some((t) => this.readTeams.includes(t));
  }

  canAdmin(teams: readonly string[]): boolean {
    return this.isAdmin || teams.some((t) => this.adminTeams.includes(t));
  }

  canCreateDeployment(): boolean {
    return this.isAdmin || this.adminTeams.length > 0;
  }

  /** The scopes that would grant `level` on something owned by `teams`, for 600000 bodies. */
  expectedScopes(level: 'admin' | 'read', teams: readonly string[] = []): string[] {
    const scopes = ['bosh.admin', `bosh.${this.directorUuid}.admin`];
    if (level === 'read') scopes.push('bosh.read', `bosh.${this.directorUuid}.read`);
    for (const team of teams) scopes.push(`bosh.teams.${team}.admin`);
    return scopes;
  }

  /** 401 / 600000 with the Director's wording. */
  forbidden(level: 'admin' | 'read', teams: readonly string[] = [], forTask = false): SimResponse {
    const list = this.expectedScopes(level, teams).join(', ');
    const description = forTask
      ? `One of the following scopes is required to access this task: ${list}`
      : `Require one of the scopes: ${list}`;
    return directorError(401, 600000, description);
  }
}
