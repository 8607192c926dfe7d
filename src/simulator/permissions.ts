/**
 * Who may do what, following the Director's permission authorizer (`permission_authorizer.rb`).
 * Every check builds the list of scopes that would grant it, in the authorizer's order, and a
 * caller is granted when it holds any of them. A refusal is HTTP 401 with code 600000 (never
 * 403) whose text lists those scopes in that same order:
 *
 * | subject / permission                                   | scopes, in order                                       |
 * |--------------------------------------------------------|--------------------------------------------------------|
 * | director `admin`                                       | bosh.admin, bosh.<uuid>.admin                          |
 * | director `read`                                        | … then bosh.read, bosh.<uuid>.read                     |
 * | `create_deployment`, `update_configs`                  | admin, then the caller's own team admin scopes         |
 * | `list_tasks`, `list_deployments`, `read_releases`, …   | admin, read, then the caller's own team admin scopes   |
 * | `read_events`, `list_configs`                          | admin, read, then the caller's own team admin/read     |
 * | a deployment or task (its teams), `admin`              | admin, then bosh.teams.<t>.admin for each of its teams |
 * | a deployment or task, `read`                           | … then bosh.teams.<t>.read for each, then read         |
 * | a config (one team or none)                            | as a deployment, with the config's team                |
 */
import { directorError, type SimResponse } from './http/response.js';
import type { Identity } from './users.js';

/** Director-wide permissions a route's `scope` condition can ask for. */
export type Permission =
  | 'admin'
  | 'read'
  | 'create_deployment'
  | 'update_configs'
  | 'list_tasks'
  | 'list_deployments'
  | 'read_releases'
  | 'read_stemcells'
  | 'read_events'
  | 'list_configs';

const TEAM_ADMIN = /^bosh\.teams\.([^.]*)\.admin$/;
const TEAM_ANY = /^bosh\.teams\.([^.]*)\.(admin|read)$/;

export class Access {
  readonly isAdmin: boolean;
  readonly isRead: boolean;
  /** Teams the caller administers (`bosh.teams.<t>.admin`), in scope order. */
  readonly adminTeams: string[];
  /** Teams the caller may read (admin or read scope). */
  readonly readTeams: string[];

  constructor(
    readonly identity: Identity,
    private readonly directorUuid: string,
  ) {
    this.isAdmin = this.holdsAny(this.adminScopes());
    this.isRead = this.isAdmin || this.holdsAny(this.readScopes());
    this.adminTeams = identity.scopes.flatMap((s) => TEAM_ADMIN.exec(s)?.slice(1, 2) ?? []);
    this.readTeams = identity.scopes.flatMap((s) => TEAM_ANY.exec(s)?.slice(1, 2) ?? []);
  }

  private adminScopes(): string[] {
    return ['bosh.admin', `bosh.${this.directorUuid}.admin`];
  }

  private readScopes(): string[] {
    return ['bosh.read', `bosh.${this.directorUuid}.read`];
  }

  private holdsAny(scopes: readonly string[]): boolean {
    return scopes.some((s) => this.identity.scopes.includes(s));
  }

  /** The scopes that grant a director-wide permission, in the authorizer's order. */
  expectedFor(permission: Permission): string[] {
    const own = (re: RegExp) => this.identity.scopes.filter((s) => re.test(s));
    const scopes = this.adminScopes();
    switch (permission) {
      case 'admin':
        break;
      case 'read':
        scopes.push(...this.readScopes());
        break;
      case 'create_deployment':
      case 'update_configs':
        scopes.push(...own(TEAM_ADMIN));
        break;
      case 'read_events':
      case 'list_configs':
        scopes.push(...this.readScopes(), ...own(TEAM_ANY));
        break;
      default:
        scopes.push(...this.readScopes(), ...own(TEAM_ADMIN));
    }
    return [...new Set(scopes)];
  }

  /** The scopes that grant `level` on something owned by `teams` (a deployment, task or config). */
  expectedOn(teams: readonly string[], level: 'admin' | 'read'): string[] {
    const scopes = [...this.adminScopes(), ...teams.map((t) => `bosh.teams.${t}.admin`)];
    if (level === 'read') scopes.push(...teams.map((t) => `bosh.teams.${t}.read`), ...this.readScopes());
    return [...new Set(scopes)];
  }

  can(permission: Permission): boolean {
    return this.holdsAny(this.expectedFor(permission));
  }

  canOn(teams: readonly string[], level: 'admin' | 'read'): boolean {
    return this.holdsAny(this.expectedOn(teams, level));
  }

  /** 401 / 600000 for a director-wide permission. */
  refuse(permission: Permission): SimResponse {
    return refusal(`Require one of the scopes: ${this.expectedFor(permission).join(', ')}`);
  }

  /** 401 / 600000 for `level` on something owned by `teams`; tasks word it their own way. */
  refuseOn(teams: readonly string[], level: 'admin' | 'read', forTask = false): SimResponse {
    const list = this.expectedOn(teams, level).join(', ');
    return refusal(
      forTask
        ? `One of the following scopes is required to access this task: ${list}`
        : `Require one of the scopes: ${list}`,
    );
  }
}

export function refusal(description: string): SimResponse {
  return directorError(401, 600000, description);
}
