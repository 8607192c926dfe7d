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

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |`;
  const align = headers.map((_, i) => (i === 0 ? '---' : '--:'));
  return [line(headers), line(align), ...rows.map(line)].join('\n');
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
