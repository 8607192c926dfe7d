/**
 * `npm run bench`: every benchmark in one process run, each side by side with its baseline. Prints
 * the report (Markdown) and writes it to bench/results.md. Lost records, failed queries and
 * answers that differ from the gateway's are listed under "Problems" and make the exit code 1.
 *
 *   npm run bench                      # everything (about ten minutes)
 *   npm run bench -- --only watchers   # or: --only queries, soak, fanout, aggregator, replicas
 */
import { writeFileSync } from 'node:fs';
import { runAggregator } from './aggregator.js';
import { runFanout } from './fanout.js';
import type { BenchSection } from './lib/report.js';
import { runQueryCost } from './query-cost.js';
import { runReplicas } from './replicas.js';
import { runSoak } from './soak.js';
import { runTaskWatchers } from './task-watchers.js';

const MACHINE_NOTE = '2-core shared machine, Node 20';

const BENCHMARKS = ['watchers', 'queries', 'soak', 'fanout', 'aggregator', 'replicas'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

function parseOnly(argv: readonly string[]): Benchmark | undefined {
  const i = argv.indexOf('--only');
  const value = i >= 0 ? argv[i + 1] : undefined;
  if (value === undefined) return undefined;
  if ((BENCHMARKS as readonly string[]).includes(value)) return value as Benchmark;
  throw new Error(`--only takes one of ${BENCHMARKS.join(', ')}, not "${value}"`);
}

async function main(): Promise<void> {
  const only = parseOnly(process.argv.slice(2));
  const log = (line: string) => console.error(line);
  const started = performance.now();
  const sections: BenchSection[] = [];
  const runs = (name: Benchmark) => only === undefined || only === name;
  if (runs('watchers')) sections.push(await runTaskWatchers({ log }));
  if (runs('queries')) sections.push(await runQueryCost({ log }));
  if (runs('soak')) sections.push(await runSoak({ log }));
  if (runs('fanout')) sections.push(await runFanout({ log }));
  if (runs('aggregator')) sections.push(await runAggregator({ log }));
  if (runs('replicas')) sections.push(await runReplicas({ log }));
  const totalSeconds = (performance.now() - started) / 1000;
  const problems = sections.flatMap((s) => s.problems);

  const report = [
    '# Benchmark results',
    '',
    `Run ${new Date().toISOString().slice(0, 10)} on a ${MACHINE_NOTE} (${process.version}), ` +
      `in one process, ${totalSeconds.toFixed(0)} s in all. Claims rest on the counts and ratios; ` +
      'times are from a shared, noisy machine. How to read this: bench/README.md.',
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
    '## Problems',
    '',
    problems.length === 0
      ? "None: every watcher got the complete log, and every baseline gave the gateway's answer."
      : problems.map((p) => `- **${p}**`).join('\n'),
    '',
  ].join('\n');

  console.log(report);
  if (only === undefined) {
    writeFileSync(new URL('./results.md', import.meta.url), report);
    console.error('written to bench/results.md');
  }
  if (problems.length > 0) {
    console.error(`\n${problems.length} PROBLEM(S):`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exitCode = 1;
  }
}

await main();
