/**
 * The legacy config routes, `/cloud_configs`, `/runtime_configs` and `/cpi_configs` (one Director
 * controller each, alike but for the rows of the table below). Bodies are YAML checked like a
 * manifest (440001); an empty name means `default`, and CPI configs always use `default`.
 *
 * | route           | GET scope | diff redacted            | stored content       | event object  |
 * |-----------------|-----------|--------------------------|----------------------|---------------|
 * | cloud_configs   | read      | never                    | as sent              | cloud-config  |
 * | runtime_configs | read      | unless `redact=false`    | re-dumped (YAML.dump)| runtime-config|
 * | cpi_configs     | admin     | unless `redact=false`    | as sent              | cpi-config    |
 */
import { parse } from 'yaml';
import { configHash, configTime, runtimeContent } from '../configs.js';
import { changeset } from '../diff/changeset.js';
import type { RequestContext } from '../http/context.js';
import { directorError, json, type SimResponse, text } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isRecord } from '../manifest.js';
import type { Permission } from '../permissions.js';

interface Legacy {
  path: string;
  type: 'cloud' | 'runtime' | 'cpi';
  readScope: Permission;
  redactable: boolean;
  named: boolean;
  event: string;
}

const LEGACY: Legacy[] = [
  {
    path: 'cloud_configs',
    type: 'cloud',
    readScope: 'read',
    redactable: false,
    named: true,
    event: 'cloud-config',
  },
  {
    path: 'runtime_configs',
    type: 'runtime',
    readScope: 'read',
    redactable: true,
    named: true,
    event: 'runtime-config',
  },
  {
    path: 'cpi_configs',
    type: 'cpi',
    readScope: 'admin',
    redactable: true,
    named: false,
    event: 'cpi-config',
  },
];

function nameOf(ctx: RequestContext, l: Legacy): string {
  const name = l.named ? ctx.query.get('name') : null;
  return name === null || name === '' ? 'default' : name;
}

/** `validate_manifest_yml`: a thrown `[code, description]` on failure. */
function manifestHash(body: string): Record<string, unknown> {
  if (body === '') throw directorError(400, 440001, 'Manifest should not be empty');
  let doc: unknown;
  try {
    doc = parse(body);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw directorError(
      400,
      440001,
      `Incorrect YAML structure of the uploaded manifest: #<Psych::SyntaxError: ${reason}>`,
    );
  }
  if (!isRecord(doc)) throw directorError(400, 440001, 'Manifest should be a hash');
  return doc;
}

/** Ruby's `Integer(s)` on a decimal string, loosely. */
function rubyInteger(s: string): number | null {
  return /^\s*[-+]?\d[\d_]*\s*$/.test(s) && !/^\s*[-+]?0\d/.test(s) ? Number(s.replace(/_/g, '')) : null;
}

function list(ctx: RequestContext, l: Legacy): SimResponse {
  const raw = ctx.query.get('limit');
  if (raw === null || raw === '') return text(400, 'limit is required');
  const limit = rubyInteger(raw);
  if (limit === null) return text(400, `limit is invalid: '${raw}' is not an integer`);
  if (limit < 1) throw new Error('limit below 1');
  const name = nameOf(ctx, l);
  // Newest first, whatever team owns them.
  const rows = ctx.core.state.configs
    .filter((c) => !c.deleted && c.type === l.type && c.name === name)
    .sort((a, b) => b.id - a.id)
    .slice(0, limit);
  return json(
    200,
    rows.map((c) => ({ properties: c.content, created_at: configTime(c.createdAt) })),
  );
}

function update(ctx: RequestContext, l: Legacy): SimResponse {
  const name = nameOf(ctx, l);
  const { state } = ctx.core;
  const record = (error: string | null) =>
    state.audit.record(
      {
        user: ctx.access!.identity.username,
        action: 'update',
        objectType: l.event,
        objectName: l.named ? name : null,
        error,
      },
      ctx.core.clock.now(),
    );
  let content = ctx.body.toString('utf8');
  try {
    const doc = manifestHash(content);
    if (l.type === 'runtime') content = runtimeContent(doc);
  } catch (err) {
    const refusal = err as SimResponse;
    record((JSON.parse(String(refusal.body)) as { description: string }).description);
    return refusal;
  }
  if (state.currentConfig(l.type, name)?.content !== content) {
    state.addConfig({ type: l.type, name, content, createdAt: ctx.core.clock.now(), team: null });
    record(null);
  }
  return { status: 201, headers: { 'Content-Type': 'text/html;charset=utf-8' }, body: '' };
}

function diff(ctx: RequestContext, l: Legacy): SimResponse {
  let after: Record<string, unknown>;
  try {
    after = manifestHash(ctx.body.toString('utf8'));
  } catch (err) {
    return err as SimResponse;
  }
  const before = configHash(ctx.core.state.latestSet(l.type, null).find((c) => c.name === nameOf(ctx, l)));
  const redacting = l.redactable && ctx.query.get('redact') !== 'false';
  return json(200, { diff: changeset(before, after, redacting) });
}

export function registerLegacyConfigs(router: Router): void {
  for (const l of LEGACY) {
    router
      .add('GET', `/${l.path}`, (ctx) => list(ctx, l), { scope: l.readScope })
      .add('POST', `/${l.path}/diff`, (ctx) => diff(ctx, l), { consumes: 'text/yaml' })
      .add('POST', `/${l.path}`, (ctx) => update(ctx, l), { consumes: 'text/yaml' });
  }
}
