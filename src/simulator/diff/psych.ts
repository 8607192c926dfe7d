/**
 * YAML text the way the Director's diff lines print values: Ruby's Psych `to_yaml(indent: 2)`
 * over libyaml, without the `---` line. Only what diffs of manifests and configs meet is covered:
 *  - block mappings; sequences not indented under their key (`azs:` then `- name: z1`);
 *  - `{}` and `[]` for empty collections, an empty value for null (`key: `);
 *  - Psych's string styles: double quotes for a string that starts with a non-word character and
 *    holds no `"` (`"<redacted>"`, `"((secret))"`), single quotes for one that would read back as
 *    another type (`'true'`, `'1.0'`, `''`), a literal block (`|-`) for several lines, and
 *    libyaml's fall-back to quotes when a plain scalar would not read back.
 * Long lines are not folded, and numbers print as JavaScript prints them (`1.0` reads as `1`).
 */

type Value = unknown;

function isMap(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Strings Psych's scalar scanner would read as something else (YAML 1.1 rules). */
const NOT_A_STRING = [
  /^(?:yes|true|on|no|false|off|y|n)$/i,
  /^(?:~|null|Null|NULL)$/,
  /^[-+]?(?:0|[1-9][0-9_,]*)$/,
  /^[-+]?0[0-7_,]+$/,
  /^[-+]?0x[0-9a-fA-F_,]+$/,
  /^[-+]?0b[01_,]+$/,
  /^[-+]?(?:\d[\d_,]*)?\.\d*(?:[eE][-+]?\d+)?$/,
  /^[-+]?\d[\d_,]*(?:\.\d*)?[eE][-+]?\d+$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}(?::?\d\d)?))?)?$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^:./,
];

/** Whether libyaml may write the string plain (its `yaml_emitter_analyze_scalar`, in short). */
function plainAllowed(s: string): boolean {
  if (s === '' || /^\s|\s$/.test(s)) return false;
  if (/^[-?:]$/.test(s) || /^[,[\]{}#&*!|>'"%@`]/.test(s) || /^[-?:]\s/.test(s)) return false;
  if (/: |:$| #/.test(s)) return false;
  return !hasControl(s);
}

/** Control characters force double quotes (libyaml cannot write them plain or single-quoted). */
function hasControl(s: string): boolean {
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** A scalar on one line; `null` when the string needs a literal block instead. */
export function scalar(v: Value): string | null {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  const s = String(v);
  if (/\n(?!$)/.test(s)) return null;
  if (/^(?:y|Y|n|N)$/.test(s)) return JSON.stringify(s);
  if (/^[^\p{L}\p{N}_][^"]*$/u.test(s) && !s.includes('\n')) return JSON.stringify(s);
  if (NOT_A_STRING.some((re) => re.test(s)) || /^0[0-7]*[89]/.test(s)) return `'${s}'`;
  if (plainAllowed(s)) return s;
  return hasControl(s) ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`;
}

function pad(n: number): string {
  return ' '.repeat(n);
}

/** `key: value` (or `- value` when `key` is `-`) with `value` at block indent `indent`. */
function entry(head: string, value: Value, indent: number, out: string[], inSequence: boolean): void {
  const at = `${pad(indent)}${head}`;
  if (Array.isArray(value) || isMap(value)) {
    const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
    if (empty) return void out.push(`${at} ${Array.isArray(value) ? '[]' : '{}'}`);
    if (inSequence) {
      // The first line of a collection inside a sequence shares the `- ` line.
      const start = out.length;
      block(value, indent + 2, out);
      out[start] = `${at} ${out[start]!.slice(indent + 2)}`;
      return;
    }
    out.push(at);
    // A sequence under a key sits at the key's own indent; a mapping one level deeper.
    block(value, Array.isArray(value) ? indent : indent + 2, out);
    return;
  }
  const text = scalar(value);
  if (text !== null) return void out.push(text === '' ? at : `${at} ${text}`);
  const s = String(value);
  const chomp = s.endsWith('\n\n') ? '+' : s.endsWith('\n') ? '' : '-';
  out.push(`${at} |${/^\s/.test(s) ? '2' : ''}${chomp}`);
  for (const line of (s.endsWith('\n') ? s.slice(0, -1) : s).split('\n')) {
    out.push(line === '' ? '' : `${pad(indent + 2)}${line}`);
  }
}

/** A non-empty mapping or sequence as block lines at `indent`. */
function block(value: Record<string, Value> | Value[], indent: number, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) entry('-', item, indent, out, true);
    return;
  }
  for (const [key, v] of Object.entries(value)) entry(`${scalar(key) ?? key}:`, v, indent, out, false);
}

/** `value.to_yaml(indent: 2)` split into lines, without `---`. */
export function psychLines(value: Value): string[] {
  const out: string[] = [];
  if (Array.isArray(value) && value.length > 0) block(value, 0, out);
  else if (isMap(value) && Object.keys(value).length > 0) block(value, 0, out);
  else out.push(scalar(value) ?? String(value));
  return out;
}
