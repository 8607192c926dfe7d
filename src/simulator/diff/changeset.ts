/**
 * The Director's diff lines (`manifest/changeset.rb`, `diff_lines.rb`, `redactor.rb`), shared by
 * the deploy diff, `POST /configs/diff` and the legacy config diffs:
 *
 *  1. Redaction prints from copies in which every leaf under a hash-valued `properties` or `bosh`
 *     key is `<redacted>`, and basic-auth credentials in release urls too; comparing always uses
 *     the real values.
 *  2. The walk visits keys in deep-merge order (before's keys, then after's new ones); equal
 *     values give nothing. A key new (or null) before is `added`, gone (or null) after `removed`;
 *     two hashes recurse one level deeper under a `key:` line; two arrays compare as sets, where
 *     changed hashes that all have a `name` (or all a `range`) are paired by it and diffed under a
 *     `- name: <n>` line; anything else is the old lines removed, then the new ones added.
 *  3. Values print as Psych YAML (diff/psych.ts), each nesting level 2 more spaces.
 *  4. `order` splits the lines into sections at each top-level key line, puts the known manifest
 *     sections first in a fixed order, precedes every section with a blank line and drops the
 *     first blank line.
 */
import { psychLines } from './psych.js';

export type DiffStatus = 'added' | 'removed' | null;
export type DiffLine = [text: string, status: DiffStatus];

type Hash = Record<string, unknown>;

interface Line {
  indent: number;
  text: string;
  status: DiffStatus;
}

const REDACTED = '<redacted>';
const REDACT_KEYS = new Set(['properties', 'bosh']);

/** `diff_lines.rb` MANIFEST_KEYS_ORDER: these sections come first, in this order. */
const SECTION_ORDER = [
  'azs',
  'vm_types',
  'vm_extensions',
  'resource_pools',
  'compilation',
  'networks',
  'disk_types',
  'name',
  'stemcells',
  'releases',
  'update',
  'jobs',
  'release',
  'addons',
  'variables',
];

function isHash(v: unknown): v is Hash {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function nil(v: unknown): boolean {
  return v === null || v === undefined;
}

/** Ruby `==` on YAML values (hash key order does not matter). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isHash(a) && isHash(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && same(a[k], b[k]));
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return false;
}

function redactValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValues);
  if (isHash(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactValues(x)]));
  return REDACTED;
}

function redactKnownKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactKnownKeys);
  if (!isHash(v)) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      REDACT_KEYS.has(k) && isHash(x) ? redactValues(x) : redactKnownKeys(x),
    ]),
  );
}

function redactReleaseUrls(doc: unknown): unknown {
  if (!isHash(doc) || !Array.isArray(doc.releases)) return doc;
  const releases = doc.releases.map((r) => {
    if (!isHash(r) || typeof r.url !== 'string') return r;
    const m = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/]*)(?::([^@/]*))?@/i.exec(r.url);
    if (!m) return r;
    let url = r.url;
    if (m[2]) url = url.replace(m[2], REDACTED);
    if (m[3]) url = url.replace(m[3], REDACTED);
    return { ...r, url };
  });
  return { ...doc, releases };
}

/** `Redactor#redact_properties!` on a copy. */
export function redact(doc: unknown): unknown {
  return redactReleaseUrls(redactKnownKeys(doc));
}

function deepMerge(a: Hash, b: Hash): Hash {
  const out: Hash = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isHash(out[k]) && isHash(v) ? deepMerge(out[k] as Hash, v) : v;
  return out;
}

function yamlLines(value: unknown, indent: number, status: DiffStatus): Line[] {
  return psychLines(value).map((text) => ({ indent, text, status }));
}

/** Ruby's `elem['name']` on whatever the element is: a hash key, or a substring of a string. */
function lookup(elem: unknown, key: string): unknown {
  if (isHash(elem)) return elem[key];
  if (typeof elem === 'string') return elem.includes(key) ? key : null;
  if (typeof elem === 'number') return 1;
  return null;
}

type Pair = [real: unknown, shown: unknown];

function without(list: Pair[], others: Pair[]): Pair[] {
  return list.filter(([real, shown]) => !others.some(([r, s]) => same(real, r) && same(shown, s)));
}

function compareArrays(
  before: unknown[],
  after: unknown[],
  shownBefore: unknown[],
  shownAfter: unknown[],
  key: string,
  redacting: boolean,
  indent: number,
): Line[] {
  const oldPairs: Pair[] = before.map((v, i) => [v, shownBefore[i]]);
  const newPairs: Pair[] = after.map((v, i) => [v, shownAfter[i]]);
  const added = without(newPairs, oldPairs);
  let removed = without(oldPairs, newPairs);
  const lines: Line[] = [];
  for (const [elem, shown] of added) {
    const changed = [...added, ...removed].filter(([real]) => !nil(real));
    const byName = changed.every(([real]) => !nil(lookup(real, 'name')));
    const byRange = changed.every(([real]) => !nil(lookup(real, 'range')));
    if (isHash(elem) && (byName || byRange)) {
      const field = byName ? 'name' : 'range';
      const match = removed.find(([real]) => same(lookup(real, field), elem[field]));
      removed = removed.filter((p) => p !== match);
      if (match) {
        const inner = diffLines(
          match[0] as Hash,
          elem,
          match[1] as Hash,
          shown as Hash,
          redacting,
          indent + 1,
        );
        if (inner.length > 0) {
          lines.push(...yamlLines([{ [field]: (shown as Hash)[field] }], indent, null), ...inner);
        }
        continue;
      }
    }
    lines.push(...yamlLines([shown], indent, 'added'));
  }
  if (removed.length > 0)
    lines.push(
      ...yamlLines(
        removed.map(([, shown]) => shown),
        indent,
        'removed',
      ),
    );
  if (lines.length > 0) lines.unshift({ indent, text: `${key}:`, status: null });
  return lines;
}

function diffLines(
  before: Hash,
  after: Hash,
  shownBefore: Hash,
  shownAfter: Hash,
  redacting: boolean,
  indent: number,
): Line[] {
  const outBefore = shownBefore;
  const outAfter = shownAfter;
  const lines: Line[] = [];
  for (const key of Object.keys(deepMerge(before, after))) {
    const b = before[key];
    const a = after[key];
    if (same(b, a)) continue;
    if (nil(b)) lines.push(...yamlLines({ [key]: outAfter[key] }, indent, 'added'));
    else if (nil(a)) lines.push(...yamlLines({ [key]: outBefore[key] }, indent, 'removed'));
    else if (Array.isArray(b) && Array.isArray(a)) {
      lines.push(
        ...compareArrays(
          b,
          a,
          shownBefore[key] as unknown[],
          shownAfter[key] as unknown[],
          key,
          redacting,
          indent,
        ),
      );
    } else if (isHash(b) && isHash(a)) {
      const inner = diffLines(b, a, shownBefore[key] as Hash, shownAfter[key] as Hash, redacting, indent + 1);
      if (inner.length > 0) lines.push({ indent, text: `${key}:`, status: null }, ...inner);
    } else {
      lines.push(...yamlLines({ [key]: outBefore[key] }, indent, 'removed'));
      lines.push(...yamlLines({ [key]: outAfter[key] }, indent, 'added'));
    }
  }
  return lines;
}

/** `DiffLines#order`. */
function order(lines: Line[]): Line[] {
  const sections = new Map<string | null, Line[]>();
  let key: string | null = null;
  for (const line of lines) {
    if (line.indent === 0 && !/^[ -]/.test(line.text)) {
      key = line.text;
      sections.set(key, [{ indent: 0, text: '', status: null }]);
    }
    if (!sections.has(key)) sections.set(key, []);
    sections.get(key)!.push(line);
  }
  const ordered: Line[] = [];
  for (const name of SECTION_ORDER) {
    ordered.push(...(sections.get(`${name}:`) ?? []));
    sections.delete(`${name}:`);
  }
  for (const section of sections.values()) ordered.push(...section);
  ordered.shift();
  return ordered;
}

/** `Changeset.new(before, after).diff(redact).order`, as `[text, status]` pairs. */
export function changeset(before: Hash | null, after: Hash | null, redacting = true): DiffLine[] {
  const b = before ?? {};
  const a = after ?? {};
  // What is printed: the redacted copies, or the values themselves; comparing uses the values.
  const shown = (h: Hash) => (redacting ? (redact(h) as Hash) : h);
  const lines = diffLines(b, a, shown(b), shown(a), redacting, 0);
  return order(lines).map((l) => [`${'  '.repeat(l.indent)}${l.text}`, l.status]);
}
