/** Formatting for the benchmark report: Markdown tables, ratios, byte counts. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchSection {
  title: string;
  /** Markdown body: tables and notes. */
  markdown: string;
  /** Things that went wrong (lost records, failed queries, mismatched answers). Printed loudly. */
  problems: string[];
}

/**
 * A Markdown table laid out as the project's formatter (Biome) lays it out, so that results.md
 * passes `npm run lint` as written: cells padded to the column's width, numeric columns (every
 * cell starts with a digit) right-aligned.
 */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => headers.map((_, i) => String(row[i] ?? '')));
  const right = headers.map((_, i) => cells.length > 0 && cells.every((row) => /^\d/.test(row[i]!)));
  const width = headers.map((h, i) => Math.max(3, h.length, ...cells.map((row) => row[i]!.length)));
  const pad = (text: string, i: number) => (right[i] ? text.padStart(width[i]!) : text.padEnd(width[i]!));
  const line = (row: readonly string[]) => `| ${row.map(pad).join(' | ')} |`;
  const rule = `| ${width.map((w, i) => (right[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

/** `a / b` with two decimals (`n/a` when b is 0). */
export function ratio(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1.00' : 'n/a';
  const r = a / b;
  return r >= 100 ? r.toFixed(0) : r.toFixed(2);
}

export function kib(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** True when this module is the script node was started with (`tsx bench/<file>.ts`). */
export function isMain(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === moduleUrl;
}
