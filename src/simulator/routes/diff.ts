/**
 * `POST /deployments/{name}/diff`, which `bosh deploy` calls before deploying. It answers the
 * current config ids (`context`, echoed back on the deploy) and a line diff of the manifest
 * against the deployed one, with property values redacted unless `redact=false`.
 */
import { parse, stringify } from 'yaml';
import type { RequestContext } from '../http/context.js';
import { json, type SimResponse } from '../http/response.js';
import type { Router } from '../http/router.js';
import { isRecord } from '../manifest.js';

function redact(value: unknown, inProperties: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, inProperties));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, inProperties || k === 'properties');
    return out;
  }
  return inProperties ? '<redacted>' : value;
}

function lines(doc: unknown, redacted: boolean): string[] {
  if (doc === null || doc === undefined) return [];
  return stringify(redacted ? redact(doc, false) : doc)
    .split('\n')
    .filter((l) => l !== '');
}

/** Line diff by longest common subsequence: `[line, "added" | "removed" | null]`. */
export function lineDiff(before: string[], after: string[]): [string, 'added' | 'removed' | null][] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: [string, 'added' | 'removed' | null][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push([before[i]!, null]);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removals first, as diff tools show a changed line.
      out.push([before[i]!, 'removed']);
      i++;
    } else {
      out.push([after[j]!, 'added']);
      j++;
    }
  }
  return out;
}

function diff(ctx: RequestContext, name: string): SimResponse {
  const access = ctx.access!;
  const { state } = ctx.core;
  const d = state.deployments.get(name);
  if (d ? !access.canAdmin(d.teams) : !access.canCreateDeployment())
    return access.forbidden('admin', d?.teams ?? []);
  const context = {
    cloud_config_ids: state.latestIds('cloud'),
    runtime_config_ids: state.latestIds('runtime'),
  };
  const redacted = ctx.query.get('redact') !== 'false';
  try {
    const before = d?.manifest ? lines(parse(d.manifest), redacted) : [];
    const after = lines(parse(ctx.body.toString('utf8')), redacted);
    return json(200, { context, diff: lineDiff(before, after) });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return json(200, { context, diff: [], error: `Unable to diff manifest: ${reason}` });
  }
}

export function registerDiff(router: Router): void {
  router.add('POST', '/deployments/:name/diff', (ctx, p) => diff(ctx, p.name!), { consumes: 'text/yaml' });
}
