/**
 * npm run bench [-- --only NAME] [--years N] [--keep]
 * Generates the ten-year demo province into a temporary database (reports the seeding time), then runs every
 * module scripts/bench/*.bench.ts in name order (contract: scripts/bench/types.ts). Prints a table of all figures
 * with their targets and, last, ONE JSON line with every figure. Exit 1 when a module failed (not on a missed target).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase } from '../admin/db/open.ts';
import { DEFAULT_END_DATE, generateProvince } from '../admin/demo/generate.ts';
import { renderTable } from '../admin/demo/summary.ts';
import type { BenchContext, BenchModule, BenchResult } from './bench/types.ts';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    years: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const years = Number(args.years);
if (!Number.isInteger(years) || years < 1 || years > 30) {
  console.error('--years phải là số nguyên từ 1 đến 30.');
  process.exit(2);
}

const started = performance.now();
const log = (msg: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const tmpDir = mkdtempSync(join(tmpdir(), 'tdnv-bench-'));
const dbPath = join(tmpDir, 'app.db');
const results: BenchResult[] = [];
const failures: Array<{ module: string; error: string }> = [];

const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
// a reader can tell a slow program from a busy machine: the load average (1, 5, 15 min) at the start and the end
log(`machine: ${cpus().length} cores, load average ${loadAverage()} at the start`);
try {
  log(`seed: ${years} years of the demo province into ${dbPath}`);
  const t0 = performance.now();
  const db = openDatabase(dbPath);
  const summary = generateProvince(db, {
    years,
    seed: 'bench',
    endDate: DEFAULT_END_DATE,
    onProgress: (p) => log(`seed: ${p.year}: ${p.tasks} tasks, ${p.events} events`),
  });
  db.exec('ANALYZE');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const seedSeconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  log(`seed: ${summary.tasks} tasks, ${summary.events} events, ${summary.documents} documents in ${seedSeconds} s`);
  results.push(
    { name: 'seed.seconds', value: seedSeconds, unit: 's', ...(years === 10 ? { target: '≤ 30 s' } : {}) },
    { name: 'seed.tasks', value: summary.tasks, unit: 'tasks' },
    { name: 'seed.events', value: summary.events, unit: 'events' },
  );

  const ctx: BenchContext = { dbPath, tmpDir, db, asOf: summary.to, log };
  const benchDir = join(import.meta.dirname, 'bench');
  const modules = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
    .filter((f) => !args.only || args.only.some((o) => f.includes(o)));
  for (const file of modules) {
    log(`run ${file}`);
    try {
      const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default: BenchModule };
      const out = await mod.default(ctx);
      results.push(...out);
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      failures.push({ module: file, error: error.split('\n').slice(0, 3).join(' | ') });
      log(`FAILED ${file}: ${error}`);
    }
  }
  db.close();
} finally {
  if (args.keep) log(`kept ${tmpDir}`);
  else rmSync(tmpDir, { recursive: true, force: true });
}

console.log('');
console.log(
  renderTable(
    ['Benchmark', 'Value', 'Unit', 'Target'],
    results.map((r) => [r.name, String(r.value), r.unit, r.target ?? '']),
    [false, true, false, false],
  ),
);
if (failures.length > 0)
  console.log(`\n${failures.length} module(s) failed: ${failures.map((f) => f.module).join(', ')}`);
log(`machine: load average ${loadAverage()} at the end`);
console.log(
  `\nBench finished in ${((performance.now() - started) / 1000).toFixed(1)} s: ${results.length} figures, ${failures.length} failures.`,
);
console.log(JSON.stringify({ results, failures }));
process.exit(failures.length > 0 ? 1 : 0);
