/**
 * Overdue tasks' pages re-dated (issue 14). After one more period most task pages that change are those of tasks
 * still overdue with nothing new: the same facts, told at the new cutoff ("tính đến ngày …", "quá hạn … ngày").
 * Instead of Astro rendering them again (≈ 2,000 pages a month on the ten-year province, most of a rebuild's Astro
 * time), the live release's page of the same facts is read, checked against that release's manifest, and its cutoff's
 * words written anew (site/lib/task-page.ts redatePage). A page that cannot be (damaged, or its own text holds such
 * words) is rendered by Astro instead; either way the file is byte for byte what a full build writes (the
 * incremental build test compares them), and it is a new file of the release, searched by its check like Astro's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redatePage } from '../../site/lib/task-page.ts';
import { findInFile, type PreChecked, type SearchRules } from './site-build-check-file.ts';
import { type BuildPlan, taskPagePath } from './site-build-plan.ts';

export interface RedatedPage {
  path: string;
  bytes: Buffer;
}

/** The plan's re-dated pages made in memory, and the codes of those to render instead. */
export function redatePages(plan: BuildPlan): { pages: RedatedPage[]; render: string[] } {
  const pages: RedatedPage[] = [];
  const render: string[] = [];
  const source = plan.source;
  for (const r of plan.redate) {
    const path = taskPagePath(r.code);
    const entry = source?.entries.get(path);
    let made: string | null = null;
    try {
      const bytes = readFileSync(join(source!.dir, path));
      if (entry && bytes.length === entry.size && createHash('sha256').update(bytes).digest('hex') === entry.sha256)
        made = redatePage(bytes.toString('utf8'), r.from, r.to);
    } catch {
      /* gone: rendered instead */
    }
    if (made === null) render.push(r.code);
    else pages.push({ path, bytes: Buffer.from(made, 'utf8') });
  }
  return { pages, render };
}

/**
 * Writes the re-dated pages into the release and looks at each as the check would (links, search), so the check
 * after Astro only confirms the file is still the one written. Returns their release paths.
 */
export function writeRedated(releaseDir: string, pages: RedatedPage[], rules: SearchRules, pre: PreChecked): string[] {
  const made = new Set<string>();
  for (const { path, bytes } of pages) {
    const file = join(releaseDir, path);
    const parent = dirname(file);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(file, bytes, { flag: 'wx' });
    const st = statSync(file);
    pre.set(path, {
      ino: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      findings: findInFile(bytes, path, rules, { links: true, search: true }),
    });
  }
  return pages.map((p) => p.path);
}
