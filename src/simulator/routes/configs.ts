/**
 * `/configs` (`configs_controller.rb`). Its answers set no Content-Type, so they go out labelled
 * text/html like every untyped body. Errors: 440010 for a bad request, 440011 for bad content,
 * 440012 for an unknown id, 710001 for a body that is not JSON.
 */
import { parse } from 'yaml';
import { configById, configHash, configToWire, findConfigs, runtimeContent } from '../configs.js';
import { changeset } from '../diff/changeset.js';
import type { RequestContext } from '../http/context.js';
import { directorError, empty, json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isRecord } from '../manifest.js';
import type { Config } from '../types.js';

type Body = Record<string, unknown>;

/** A Director error raised inside a handler, answered as `{code, description}`. */
class Refusal {
  constructor(readonly response: SimResponse) {}
}

const badRequest = (description: string) => new Refusal(directorError(400, 440010, description));
const badConfig = (description: string) => new Refusal(directorError(400, 440011, description));
const notFound = (id: string) => new Refusal(directorError(404, 440012, `Config ${id} not found`));

function answer(run: () => SimResponse): SimResponse {
  try {
    return run();
  } catch (err) {
    if (err instanceof Refusal) return err.response;
    throw err;
  }
}

function teamsOf(c: Config): string[] {
  return c.team === null ? [] : [c.team];
}

function list(ctx: RequestContext): SimResponse {
  return answer(() => {
    const q = ctx.query;
    const limitParam = q.get('limit');
    const latest = q.get('latest');
    if (limitParam !== null) {
      // `param == param.to_i.to_s`: canonical integers only, so `007` is not a number.
      if (!/^-?(?:0|[1-9]\d*)$/.test(limitParam)) throw badRequest("'limit' must be a number");
      if (Number(limitParam) < 1) throw badRequest("'limit' must be larger than zero");
    }
    if (latest !== null && latest !== 'true' && latest !== 'false')
      throw badRequest("'latest' must be 'true' or 'false'");
    const { state } = ctx.core;
    // The limit is per (type, name); without one, `latest=false` means the whole history.
    const limit =
      limitParam !== null
        ? Number(limitParam)
        : latest === 'false'
          ? Math.max(0, ...state.configs.map((c) => c.id))
          : 1;
    const access = ctx.access!;
    // Each row must be readable: global rows only by director admin/read, team rows by the team.
    const configs = findConfigs(state, q.get('type'), q.get('name'), limit).filter((c) =>
      access.canOn(teamsOf(c), 'read'),
    );
    return json(
      200,
      configs.map((c) => configToWire(c, state)),
    );
  });
}

function show(ctx: RequestContext, id: string): SimResponse {
  return answer(() => {
    const c = configById(ctx.core.state, id);
    if (!c) throw notFound(id);
    return json(200, configToWire(c, ctx.core.state));
  });
}

function parseBody(ctx: RequestContext): Body {
  let body: unknown;
  try {
    body = JSON.parse(ctx.body.toString('utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Refusal(directorError(400, 710001, `Invalid JSON request body: ${reason}`));
  }
  if (!isRecord(body)) throw badRequest('JSON object expected');
  return body;
}

function requireString(body: Body, key: string): string {
  const v = body[key];
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0))
    throw badRequest(`'${key}' is required`);
  if (typeof v !== 'string') throw badRequest(`'${key}' must be a string`);
  return v;
}

function parseContent(content: unknown): Body {
  let doc: unknown;
  try {
    doc = parse(String(content ?? ''));
  } catch (err) {
    throw badConfig(`Config must be valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
  }
  if (!isRecord(doc)) throw badConfig('YAML hash expected');
  return doc;
}

function recordCreate(ctx: RequestContext, type: unknown, name: unknown, error?: string): void {
  ctx.core.state.audit.record(
    {
      user: ctx.access!.identity.username,
      action: 'create',
      objectType: `config/${typeof type === 'string' ? type : ''}`,
      objectName: typeof name === 'string' ? name : null,
      error: error ?? null,
    },
    ctx.core.clock.now(),
  );
}

/** `POST /configs`: the checks in the Director's order, then 201 with the new or existing row. */
function create(ctx: RequestContext): SimResponse {
  return answer(() => {
    const { state } = ctx.core;
    const access = ctx.access!;
    let body: Body | undefined;
    let content: string;
    try {
      body = parseBody(ctx);
      requireString(body, 'type');
      requireString(body, 'name');
      const doc = parseContent(body.content);
      content = body.type === 'runtime' ? runtimeContent(doc) : String(body.content);
    } catch (err) {
      if (err instanceof Refusal) {
        const { description } = JSON.parse(String(err.response.body)) as { description: string };
        recordCreate(ctx, body?.type, body?.name, description);
      }
      throw err;
    }
    const type = body.type as string;
    const name = body.name as string;
    const current = state.currentConfig(type, name);
    const currentId = current ? String(current.id) : '0';
    const expected = body.expected_latest_id;
    if (expected !== undefined && expected !== null && String(expected) !== currentId) {
      return json(412, {
        latest_id: currentId,
        expected_latest_id: String(expected),
        description: `Latest Id: '${currentId}' does not match expected latest id`,
      });
    }
    if (current && !access.canOn(teamsOf(current), 'admin'))
      return access.refuseOn(teamsOf(current), 'admin');
    let row = current;
    if (!current || current.content !== content) {
      row = state.addConfig({
        type,
        name,
        content,
        createdAt: ctx.core.clock.now(),
        team: access.adminTeams[0] ?? null,
      });
      recordCreate(ctx, type, name);
    }
    return json(201, configToWire(row!, state));
  });
}

const DIFF_FORMS = `The following request formats are allowed:
1. {"from":<config>,"to":<config>} where <config> is either {"id":"<id>"} or {"content":"<content>"}
2. {"type":"<type>","name":"<name>","content":"<content>"}`;

const isId = (side: unknown) => isRecord(side) && typeof side.id === 'string' && /\d/.test(side.id);
const isContent = (side: unknown) => isRecord(side) && typeof side.content === 'string';

/** `POST /configs/diff`, in its five body forms (`configs_controller.rb:65-87, 184-236`). */
function diff(ctx: RequestContext): SimResponse {
  return answer(() => {
    const body = parseBody(ctx);
    const { state } = ctx.core;
    const access = ctx.access!;
    const load = (side: Body): Body => {
      const c = configById(state, side.id as string);
      if (!c) throw notFound(side.id as string);
      if (!access.canOn(teamsOf(c), 'admin')) throw new Refusal(access.refuseOn(teamsOf(c), 'admin'));
      return configHash(c);
    };
    const sideHash = (side: Body, byId: boolean) => (byId ? load(side) : parseContent(side.content));
    const from = body.from;
    const to = body.to;
    const fromId = isId(from);
    const toId = isId(to);
    const paired = (fromId || isContent(from)) && (toId || isContent(to));
    const againstCurrent =
      typeof body.type === 'string' &&
      body.type !== '' &&
      typeof body.name === 'string' &&
      body.name !== '' &&
      typeof body.content === 'string';
    if (!paired && !againstCurrent) throw badRequest(DIFF_FORMS);
    try {
      if (paired) {
        const before = sideHash(from as Body, fromId);
        const after = sideHash(to as Body, toId);
        return json(200, { diff: changeset(before, after, true) });
      }
      const current = state.currentConfig(body.type as string, body.name as string);
      const after = parseContent(body.content);
      if (current && !access.canOn(teamsOf(current), 'admin'))
        throw new Refusal(access.refuseOn(teamsOf(current), 'admin'));
      return json(200, {
        from: { id: current ? String(current.id) : '0' },
        diff: changeset(configHash(current), after, true),
      });
    } catch (err) {
      if (err instanceof Refusal && err.response.status === 400) {
        const { description } = JSON.parse(String(err.response.body)) as { description: string };
        return json(400, {
          diff: [],
          error: `Unable to diff config content: #<Bosh::Director::BadConfig: ${description}>`,
        });
      }
      throw err;
    }
  });
}

function deleteById(ctx: RequestContext, id: string): SimResponse {
  return answer(() => {
    const c = configById(ctx.core.state, id);
    if (!c) throw notFound(id);
    const access = ctx.access!;
    if (!access.canOn(teamsOf(c), 'admin')) return access.refuseOn(teamsOf(c), 'admin');
    c.deleted = true;
    return empty(204);
  });
}

/** `DELETE /configs?type&name`: every version of the pair, or a bodiless 404 when none is live. */
function deleteByName(ctx: RequestContext): SimResponse {
  return answer(() => {
    const type = ctx.query.get('type');
    const name = ctx.query.get('name');
    if (!type) throw badRequest("'type' is required");
    if (!name) throw badRequest("'name' is required");
    const { state } = ctx.core;
    const latest = state.currentConfig(type, name);
    if (!latest) return { status: 404, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: '' };
    const access = ctx.access!;
    if (!access.canOn(teamsOf(latest), 'admin')) return access.refuseOn(teamsOf(latest), 'admin');
    for (const c of state.configs) if (c.type === type && c.name === name) c.deleted = true;
    return empty(204);
  });
}

export function registerConfigs(router: Router): void {
  router
    .add('GET', '/configs', list, { scope: 'list_configs' })
    .add('GET', '/configs/:id', (ctx, p) => show(ctx, p.id!), { scope: 'read' })
    .add('POST', '/configs/diff', diff, { consumes: 'application/json', scope: 'list_configs' })
    .add('POST', '/configs', create, { consumes: 'application/json', scope: 'update_configs' })
    .add('DELETE', '/configs/:id', (ctx, p) => deleteById(ctx, p.id!), { scope: 'update_configs' })
    .add('DELETE', '/configs', deleteByName, { scope: 'update_configs' });
}
