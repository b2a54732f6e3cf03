/**
 * The contract between `npm run bench` (scripts/bench.ts) and each benchmark module scripts/bench/*.bench.ts:
 * `export default async function (ctx: BenchContext): Promise<BenchResult[]>`. Modules run in name order on one
 * generated ten-year dataset; they report medians of several runs and never fail on a missed target (the runner
 * prints targets beside the figures).
 */
import type { DB } from '../../admin/db/open.ts';

export interface BenchContext {
  /** the generated ten-year database (a copy may be taken with VACUUM INTO to change it) */
  dbPath: string;
  /** a fresh temporary directory, deleted after the run */
  tmpDir: string;
  /** better-sqlite3 connection, read-write, on dbPath */
  db: DB;
  /** the cutoff date to measure at: the last day of the generated history */
  asOf: string;
  log: (msg: string) => void;
}

export interface BenchResult {
  /** dotted name, e.g. "stats.allAgencies" */
  name: string;
  value: number;
  unit: string;
  /** human-readable target, e.g. "≤ 100 ms" */
  target?: string;
}

export type BenchModule = (ctx: BenchContext) => Promise<BenchResult[]>;
