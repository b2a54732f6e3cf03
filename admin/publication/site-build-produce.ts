/**
 * Produces a release's files and checks them (site-build.ts runs it once per plan):
 *
 *   Astro (child process, started before planning and waiting for its inputs) ──▶ work/<id>/out ──move──▶ release
 *   carried pages (hard links, a worker thread) ─────────────────────────────────────────────────────▶ release
 *   open data + share images (this thread, from the cache when made after publishing) ──links──▶ release
 *   ──▶ one check pass (links over the whole release, leak search over every new file)
 *
 * Astro's start and its Vite build (≈ 2 s) do not depend on the pages' data: the build starts it first
 * (startAstro), and the first page to read its data waits for INPUTS_READY_FILE (site/lib/data.ts), written once the
 * plan is known and every input file is there. Meanwhile this thread hashes the task pages' inputs and writes them.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { DB } from '../db/open.ts';
import { INPUTS_READY_FILE } from '../../site/lib/data.ts';
import { RENDER_TASKS_FILE } from '../../site/lib/task-page.ts';
import { type SearchIndex, searchIndexFiles } from '../../site/lib/search-index.ts';
import type { PublicTask, StoredSnapshotHeader as SnapshotHeader } from './schema.ts';
import type { PublicationRow } from './publish.ts';
import type { CardStats } from './share-images.ts';
import { type BuildProgress, walk } from './site-build-common.ts';
import { runAstro } from './site-build-astro.ts';
import {
  type AgainstSource,
  type CheckedAhead,
  checkAhead,
  checkReleaseAgainst,
  type LeakRules,
  searchRulesOfLeaks,
} from './site-build-check.ts';
import { type PreChecked, preCheckWhileWriting } from './site-build-check-file.ts';
import { linksOf } from './site-release-manifest.ts';
import { redatePages, writeRedated } from './site-build-redate.ts';
import { linkOrCopy, prepareOpenData, prepareShareImages, type ReleaseLink } from './site-build-inputs.ts';
import {
  type BuildPlan,
  type CarriedHashes,
  carryFiles,
  moveInto,
  PAGES_FILE,
  writePageIndex,
} from './site-build-plan.ts';

/** Everything one build's produce step reads. */
export interface ProduceContext {
  db: DB;
  releaseId: string;
  releaseDir: string;
  workDir: string;
  cacheDir: string;
  siteUrl: string;
  rows: PublicationRow[];
  headers: Map<number, SnapshotHeader>;
  latest: SnapshotHeader;
  periods: SnapshotHeader[];
  tasks: PublicTask[];
  /** the public search index of `tasks` (site-build-plan.ts inputsOf) */
  searchIndex: () => SearchIndex;
  /** replies' and archives' files, made before */
  links: ReleaseLink[];
  rules: LeakRules;
  say: (p: BuildProgress) => void;
  /** records the time since the last lap under a phase name (the bench's breakdown) */
  lap: (name: string) => void;
  timed: <T>(name: string, p: Promise<T>) => Promise<T>;
}

/** An Astro build started ahead of its inputs. */
export interface AstroRun {
  done: Promise<void>;
  startedAt: number;
  /** pages it is expected to write, once the plan is known (progress lines) */
  expected: number;
  stop: () => Promise<void>;
}

const astroOut = (workDir: string) => join(workDir, 'out');

function sourceOf(plan: BuildPlan, carried: CarriedHashes, links: AgainstSource['links'] = null): AgainstSource | null {
  return (
    plan.source && {
      id: plan.source.id,
      dir: plan.source.dir,
      hashedAt: Date.parse(plan.source.manifest.createdAt),
      leakCheck: plan.source.manifest.leakCheck,
      entries: plan.source.entries,
      carried,
      links,
    }
  );
}

/** Starts `astro build` for the release; its pages wait for INPUTS_READY_FILE in the work folder. */
export function startAstro(
  c: Pick<ProduceContext, 'releaseId' | 'workDir' | 'siteUrl' | 'say' | 'timed'>,
  expected = 0,
): AstroRun {
  const abort = new AbortController();
  mkdirSync(c.workDir, { recursive: true });
  const run: AstroRun = {
    startedAt: Date.now(),
    expected,
    done: Promise.resolve(),
    stop: async () => {
      abort.abort();
      await run.done.catch(() => {});
    },
  };
  run.done = c.timed(
    'astro',
    runAstro(
      {
        SITE_RELEASE_ID: c.releaseId,
        // Astro empties its output folder first: it writes into one of its own, moved into the release after
        SITE_OUT_DIR: astroOut(c.workDir),
        SITE_DATA_DIR: c.workDir,
        SITE_URL: c.siteUrl,
        SITE_CACHE_DIR: join(c.workDir, 'astro-cache'),
        SITE_INPUTS_GATE: '1',
      },
      () => run.expected,
      c.say,
      abort.signal,
    ),
  );
  run.done.catch(() => {});
  return run;
}

/** Writes the search index's files into the release (manifest, sets, detail chunks): their release paths. */
function writeSearchIndex(releaseDir: string, index: SearchIndex): string[] {
  const paths: string[] = [];
  for (const [href, text] of searchIndexFiles(index)) {
    const path = href.replace(/^\/+/, '');
    const file = join(releaseDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    paths.push(path);
  }
  return paths;
}

/** Writes the task list and the pages to render, then the marker that lets Astro's pages read them. */
function writeInputs(c: ProduceContext, plan: BuildPlan): void {
  writeFileSync(join(c.workDir, 'tasks.json'), JSON.stringify(c.tasks));
  const only = join(c.workDir, RENDER_TASKS_FILE);
  if (plan.mode === 'incremental') writeFileSync(only, JSON.stringify(plan.renderTasks));
  else rmSync(only, { force: true });
  const ready = join(c.workDir, INPUTS_READY_FILE);
  writeFileSync(`${ready}.tmp`, plan.mode);
  renameSync(`${ready}.tmp`, ready);
}

/**
 * Produces the release's files for a plan: rendered by Astro (all pages, or only those whose inputs changed),
 * carried over from the live release (hard links, while Astro works), open data and share images from the cache;
 * then checks them. `astro`: the run started ahead for this plan (else one is started here); `whileAstro` runs on
 * this thread once Astro has its inputs (the snapshot's schema check).
 */
export async function produceRelease(
  c: ProduceContext,
  planned: BuildPlan,
  astro: AstroRun | null,
  whileAstro: () => void = () => {},
) {
  // the overdue pages re-dated in memory from the source's (those that cannot be are rendered by Astro instead),
  // before Astro is told which pages to render
  const redated = planned.mode === 'incremental' ? redatePages(planned) : { pages: [], render: [] };
  const plan: BuildPlan = { ...planned, renderTasks: [...planned.renderTasks, ...redated.render] };
  c.lap('redate');
  const images: CardStats = { rendered: 0, reused: 0, renderMs: 0, times: [] };
  let astroMs = 0;
  let carried: CarriedHashes = new Map();
  let ahead: CheckedAhead | null = null;
  const pre: PreChecked = new Map();
  // the live release's pages' links (its manifest), for the final check only: read once, not when nothing changed
  const sourceLinks = plan.source ? linksOf(plan.source.manifest) : null;
  // every file put into the release, for its check and manifest
  const listed: string[] = [PAGES_FILE, ...plan.carry];
  mkdirSync(c.releaseDir, { recursive: true });
  c.lap('start');
  if (plan.mode === 'unchanged') {
    c.say({
      phase: 'pages',
      message: `Dữ liệu không đổi: dùng lại ${plan.carry.length} tệp của bản ${plan.source!.id}…`,
    });
    carried = await carryFiles(plan.source!, c.releaseDir, plan.carry);
  } else {
    const taskPages = plan.mode === 'incremental' ? plan.renderTasks.length : c.tasks.length;
    const expectedPages = taskPages + c.latest.agencies.length + c.periods.length + 10;
    const run = astro ?? startAstro(c, expectedPages);
    run.expected = expectedPages;
    // a failure below must not leave Astro running
    try {
      writeInputs(c, plan);
      c.lap('inputs');
      c.say({
        phase: 'pages',
        message:
          plan.mode === 'incremental'
            ? `Dựng ${expectedPages} trang có thay đổi bằng Astro${redated.pages.length > 0 ? `, ghi lại ngày số liệu của ${redated.pages.length} trang nhiệm vụ quá hạn` : ''}, dùng lại ${plan.carry.length} trang nhiệm vụ của bản ${plan.source!.id}…`
            : `Dựng ${expectedPages} trang bằng Astro${plan.reason ? ` (dựng toàn bộ: ${plan.reason})` : ''}…`,
        done: 0,
        total: expectedPages,
      });
      // while Astro, a child process, renders: the carried pages in a worker, the schema check, open data and
      // share images on this thread. A failure in one must not leave the others running unobserved.
      const carryDone = c.timed(
        'carry',
        plan.source ? carryFiles(plan.source, c.releaseDir, plan.carry, plan.staged) : Promise.resolve(carried),
      );
      carryDone.catch(() => {});
      // the public search index (site/lib/search-index.ts): ≈ 940 data files, written here while Astro renders the
      // pages (as a route of Astro's each took ≈ 2 ms, a third of a rebuild's Astro time)
      // (checked ahead with the open data, below, which lists them in the release)
      const searchFiles = writeSearchIndex(c.releaseDir, c.searchIndex());
      c.lap('searchIndex');
      const searchRules = searchRulesOfLeaks(c.rules);
      listed.push(...writeRedated(c.releaseDir, redated.pages, searchRules, pre));
      c.lap('writeRedated');
      whileAstro();
      c.lap('whileAstro');
      const openDataDone = c.timed('openData', prepareOpenData(c.db, c.cacheDir, c.rows, c.headers, c.say, c.siteUrl));
      const imagesDone = c.timed('images', prepareShareImages(c.cacheDir, c.latest, c.periods, images));
      for (const p of [openDataDone, imagesDone]) p.catch(() => {});
      // the cached files go into the release as soon as they are there, and those without links (open data,
      // images) are hashed and searched while Astro still renders
      const links = [...(await openDataDone), ...(await imagesDone), ...c.links];
      c.lap('extras');
      c.say({ phase: 'extras', message: `Ảnh chia sẻ: ${images.rendered} ảnh mới, ${images.reused} ảnh dùng lại` });
      const linked = new Set<string>();
      for (const [from, href] of links) {
        linkOrCopy(from, join(c.releaseDir, href));
        linked.add(href.replace(/^\/+/, ''));
      }
      const pages = [...linked].filter((p) => p.endsWith('.html'));
      listed.push(...pages);
      ahead = checkAhead(c.releaseDir, c.rules, sourceOf(plan, new Map()), [
        ...[...linked].filter((p) => !p.endsWith('.html')),
        ...searchFiles,
      ]);
      c.lap('checkAhead');
      // Astro's files looked at as it finishes them (this thread has nothing else to do until it is done): in a
      // rebuild, where it writes a few thousand; a full build's 30,000 folders would cost more to walk each time
      const astroDone = run.done.then(() => true);
      astroDone.catch(() => {});
      const tick = () => new Promise<false>((r) => setTimeout(() => r(false), 250));
      while (plan.mode === 'incremental' && !(await Promise.race([astroDone, tick()])))
        if (existsSync(astroOut(c.workDir))) preCheckWhileWriting(astroOut(c.workDir), pre, searchRules, 150);
      await run.done;
      c.lap('astroWait');
      carried = await carryDone;
      astroMs = Date.now() - run.startedAt;
      c.lap('astroAndCarry');
      const out = astroOut(c.workDir);
      for (const f of walk(out)) listed.push(relative(out, f).split('\\').join('/'));
      moveInto(out, c.releaseDir);
      c.lap('move');
    } catch (err) {
      await run.stop();
      throw err;
    }
  }
  writePageIndex(c.releaseDir, plan.index);
  c.say({ phase: 'check', message: 'Kiểm tra liên kết nội bộ và rò rỉ dữ liệu không công khai…' });
  const checked = checkReleaseAgainst(
    c.releaseDir,
    c.rules,
    c.releaseId,
    sourceOf(plan, carried, sourceLinks),
    listed,
    ahead,
    pre,
  );
  c.lap('check');
  return { ...checked, images, astroMs, plan, redated: redated.pages.length };
}
