/**
 * The national roll-up (issue 13): several provinces' published open data, each validated (validate.ts), compared
 * on the periods all of them publish (compare.ts), written as a static site with the provinces' look (render.ts)
 * and combined open data (open-data.ts). The site is written into a fresh folder beside --out and renamed into
 * place (replaceFolder), so a failed run leaves the previous roll-up untouched and a served one is never half there.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPO_ROOT } from '../publication/site-build-common.ts';
import { compareProvinces, type Rollup } from './compare.ts';
import { fileFacts, type OutFile, periodCsv, rollupCatalogue } from './open-data.ts';
import { indexPage, periodPage } from './render.ts';
import type { Source } from './sources.ts';
import { type Checked, checkSource } from './validate.ts';

export { openSource, type Source } from './sources.ts';

export interface RollupResult {
  rollup: Rollup;
  out: string;
  written: boolean;
  pages: number;
  files: number;
  durationMs: number;
}

/**
 * Puts the folder `work` at `target` by renames only: the previous roll-up is renamed aside before the new one
 * takes its name and deleted only then, so a server never reads a half-deleted roll-up (deleting it in place, file
 * by file, could be killed midway) and, when the swap itself fails, the previous one is put back.
 */
function replaceFolder(work: string, target: string): void {
  const old = `${target}.old-${process.pid}-${Date.now()}`;
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(work, target);
  } catch (err) {
    if (hadOld) renameSync(old, target);
    throw err;
  }
  // the new roll-up is in place: failing to delete the old one costs only disk space
  try {
    if (hadOld) rmSync(old, { recursive: true, force: true, maxRetries: 2 });
  } catch {}
}

/** Reads and checks every source, then writes the national site into `out` (replacing what was there), unless no
 * source is usable. */
export async function runRollup(
  sources: Source[],
  out: string,
  say: (msg: string) => void = () => {},
  now: Date = new Date(),
): Promise<RollupResult> {
  const t0 = performance.now();
  const checked: Checked[] = [];
  for (const [i, s] of sources.entries()) {
    say(`[${i + 1}/${sources.length}] Kiểm tra nguồn ${s.label}…`);
    const c = await checkSource(s, say);
    say(
      c.ok
        ? `[${i + 1}/${sources.length}] ${c.province.name}: đạt kiểm tra`
        : `[${i + 1}/${sources.length}] ${c.reason}`,
    );
    checked.push(c);
  }
  const rollup = compareProvinces(checked);
  for (const x of rollup.refused.filter((x) => !checked.some((c) => !c.ok && c.source === x.source))) say(x.reason);

  const target = resolve(out);
  // nothing usable: nothing written (the command fails and the previous roll-up stays)
  if (rollup.provinces.length === 0)
    return { rollup, out: target, written: false, pages: 0, files: 0, durationMs: performance.now() - t0 };
  const work = `${target}.tmp-${process.pid}-${Date.now()}`;
  rmSync(work, { recursive: true, force: true });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), text);
  };
  try {
    mkdirSync(join(work, 'css'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'site', 'public', 'css', 'site.css'), join(work, 'css', 'site.css'));
    const files: OutFile[] = [];
    for (const c of rollup.comparisons) {
      const csv = periodCsv(c);
      write(`du-lieu-mo/tong-hop-${c.period}.csv`, csv);
      files.push(fileFacts(`du-lieu-mo/tong-hop-${c.period}.csv`, csv));
      write(`bao-cao/${c.period}/index.html`, periodPage(rollup, c));
    }
    write('du-lieu-mo/danh-muc.json', `${JSON.stringify(rollupCatalogue(rollup, files, now), null, 2)}\n`);
    write('index.html', indexPage(rollup));
    mkdirSync(dirname(target), { recursive: true });
    replaceFolder(work, target);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  return {
    rollup,
    out: target,
    written: true,
    pages: rollup.comparisons.length + 1,
    files: 2 * rollup.comparisons.length + 3,
    durationMs: performance.now() - t0,
  };
}
