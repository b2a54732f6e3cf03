/**
 * Which pages a build renders and which it carries over (hard links) from the live release (issue 14).
 *
 *   shared  = hash(site code, site URL, province, office)     changed ──▶ full build (every page rendered)
 *   inputs  = hash(shared, site-data.json, latest publication)  equal   ──▶ unchanged: every file carried over
 *   task page = hash(its props, site/lib/task-page.ts)         equal   ──▶ carried; otherwise rendered again,
 *   an overdue task's page: hash(its props but the cutoff)     equal   ──▶ re-dated (its cutoff's words written anew)
 *
 * Every other page (home, agencies, reports, feeds, sitemaps, search index …, a few hundred) is rendered whenever
 * anything changed: they read the whole site input. The hashes are kept in the release (PAGES_FILE, listed in its
 * manifest); the source release must be live, unbroken, and its index must match its manifest, and the build's
 * check compares every carried file with the source's manifest (site-build-check.ts: its size, and its hash when
 * written since the manifest), so a damaged source turns the build into a full one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PublicTask } from './schema.ts';
import { indexSite } from '../../site/lib/data.ts';
import type { SiteData } from '../../site/lib/site-data.ts';
import { cutoffOf, type PageCutoff, taskPageProps } from '../../site/lib/task-page.ts';
import { type SearchIndex, searchIndexOf } from '../../site/lib/search-index.ts';
import { REPO_ROOT } from './site-build-common.ts';
import { BROKEN_FILE, MANIFEST_FILE, type ManifestEntry, type ReleaseManifest } from './site-release-manifest.ts';
import { currentReleaseId } from './site-releases.ts';

/** The page index of a release: the hashes of its pages' inputs. */
export const PAGES_FILE = '.pages.json';

export interface PageIndex {
  version: 1;
  shared: string;
  inputs: string;
  /** SHA-256 of the publication whose tasks have pages */
  snapshot: string;
  /** task code → hash of its page's props */
  tasks: Record<string, string>;
  /**
   * an overdue task's code → [hash of its page's props but the cutoff, the cutoff, the days overdue]: a page of the
   * same facts at a later cutoff is this page re-dated (site/lib/task-page.ts redatePage). Absent before issue 14's
   * re-dating: nothing is re-dated from such a release.
   */
  dated?: Record<string, [string, string, number]>;
}

/** An overdue task's page to write from the live release's page of the same facts at the new cutoff. */
export interface Redate {
  code: string;
  from: PageCutoff;
  to: PageCutoff;
}

export type BuildMode = 'full' | 'incremental' | 'unchanged';

/** A live release the build may carry files from. */
export interface SourceRelease {
  id: string;
  dir: string;
  index: PageIndex;
  manifest: ReleaseManifest;
  entries: Map<string, ManifestEntry>;
}

export interface BuildPlan {
  mode: BuildMode;
  /** why a full build (Vietnamese, for the progress line) */
  reason: string;
  index: PageIndex;
  source: SourceRelease | null;
  /** codes of the task pages to render (incremental) */
  renderTasks: string[];
  /** overdue tasks' pages re-dated from the source's (incremental; those that cannot be are rendered instead) */
  redate: Redate[];
  /** release paths to hard-link from the source */
  carry: string[];
  /** the carried files are linked already: a staged tree taken over as the release folder (site-build-stage.ts) */
  staged?: boolean;
}

const sha = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * The code the release's files are made with: every file of the site (pages, components, styles, public files)
 * and the modules they import, the modules that write the open data and share images, Astro's version (the
 * lockfile) and the configuration. Any change renders everything again.
 */
const CODE_ENTRIES = [
  'site',
  'astro.config.mjs',
  'admin/publication/site-build-inputs.ts',
  'admin/publication/site-replies.ts',
  'admin/publication/site-archive.ts',
];
const CODE_FILES = ['package-lock.json', 'tsconfig.json'];
/** Read for the frozen publications only (their bytes are inputs, by SHA-256): how they were made is no site code. */
const NOT_SITE_CODE = new Set(['admin/publication/publish.ts']);
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function listFiles(path: string, out: string[]): void {
  if (!statSync(path).isDirectory()) {
    if (!/\.test\.ts$/.test(path)) out.push(path);
    return;
  }
  for (const e of readdirSync(path)) listFiles(join(path, e), out);
}

/** The given files and folders with every module they import by a relative path, transitively. */
export function codeClosure(root: string = REPO_ROOT): string[] {
  const todo: string[] = [];
  for (const e of CODE_ENTRIES) listFiles(join(root, e), todo);
  const seen = new Set<string>();
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (!/\.(ts|mjs|js|astro)$/.test(f)) continue;
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const base = join(dirname(f), m[1]!);
      const found = [base, `${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
      if (found && !seen.has(found) && !NOT_SITE_CODE.has(relative(root, found))) todo.push(found);
    }
  }
  for (const f of CODE_FILES) if (existsSync(join(root, f))) seen.add(join(root, f));
  return [...seen].sort();
}

/** Hash of the code a release is made with (codeClosure) and of the Node version running it. */
export function codeHash(root: string = REPO_ROOT): string {
  const h = createHash('sha256').update(process.version);
  for (const f of codeClosure(root)) h.update(`\0${relative(root, f)}\0`).update(readFileSync(f));
  return h.digest('hex');
}

/** The hashes of a build's inputs; the task pages' only on demand (≈ 30,000 small hashes). */
export interface ComputedInputs {
  shared: string;
  inputs: string;
  /** SHA-256 of the publication whose tasks have pages */
  snapshot: string;
  taskHashes: (tasks: PublicTask[]) => Record<string, string>;
  /** of the overdue tasks among them: what PageIndex.dated keeps */
  datedOf: (tasks: PublicTask[]) => NonNullable<PageIndex['dated']>;
  /** the public search index of these tasks, as the site computes it from the same data (site/lib/search-index.ts) */
  searchIndex: (tasks: PublicTask[]) => SearchIndex;
}

export function inputsOf(data: SiteData, siteDataText: string, snapshotSha256: string): ComputedInputs {
  const latest = data.periods[data.periods.length - 1];
  // the site's own index of its data (site/lib/data.ts), made once per task list
  const sites = new WeakMap<PublicTask[], ReturnType<typeof indexSite>>();
  const siteOf = (tasks: PublicTask[]) => {
    let site = sites.get(tasks);
    if (!site) sites.set(tasks, (site = indexSite(data, tasks)));
    return site;
  };
  // both hashes of a task list, made in one pass over its pages' props
  const hashed = new WeakMap<
    PublicTask[],
    { tasks: Record<string, string>; dated: Record<string, [string, string, number]> }
  >();
  const hashesOf = (tasks: PublicTask[]) => {
    let h = hashed.get(tasks);
    if (h) return h;
    const site = siteOf(tasks);
    h = { tasks: {}, dated: {} };
    for (const t of tasks) {
      const props = taskPageProps(site, t);
      h.tasks[t.code] = sha(JSON.stringify(props)).slice(0, 24);
      const c = cutoffOf(props);
      if (c) h.dated[t.code] = [sha(JSON.stringify(c.facts)).slice(0, 24), c.cutoff.asOf, c.cutoff.days];
    }
    hashed.set(tasks, h);
    return h;
  };
  const shared = sha(
    JSON.stringify({
      v: 1,
      code: codeHash(),
      siteUrl: data.siteUrl,
      province: latest?.province,
      office: latest?.office,
    }),
  );
  return {
    shared,
    // the publication's SHA-256 stands for its tasks (tasks.json is written from it)
    inputs: sha(`${shared}\0${siteDataText}\0${snapshotSha256}`),
    snapshot: snapshotSha256,
    searchIndex: (tasks) => searchIndexOf(siteOf(tasks)),
    taskHashes: (tasks) => hashesOf(tasks).tasks,
    datedOf: (tasks) => hashesOf(tasks).dated,
  };
}

export const taskPagePath = (code: string) => `nhiem-vu/${code}/index.html`;

/** The live release as a source, or the reason it cannot be one. */
export function readSource(siteDir: string): SourceRelease | string {
  const id = currentReleaseId(siteDir);
  if (!id) return 'chưa có bản nào đang phục vụ';
  const dir = join(siteDir, 'releases', id);
  if (existsSync(join(dir, BROKEN_FILE))) return `bản ${id} đã bị đánh dấu hỏng`;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as ReleaseManifest;
    const entries = new Map(manifest.files.map((f) => [f.path, f]));
    const text = readFileSync(join(dir, PAGES_FILE));
    if (entries.get(PAGES_FILE)?.sha256 !== sha(text)) return `bảng băm trang của bản ${id} không khớp bảng kê tệp`;
    const index = JSON.parse(text.toString('utf8')) as PageIndex;
    if (index.version !== 1) return `bản ${id} có bảng băm trang phiên bản khác`;
    return { id, dir, index, manifest, entries };
  } catch {
    return `bản ${id} không có bảng băm trang`;
  }
}

export function planBuild(
  source: SourceRelease | string,
  computed: ComputedInputs,
  tasks: PublicTask[],
  fullReason: string | null = null,
): BuildPlan {
  const base = { version: 1 as const, shared: computed.shared, inputs: computed.inputs, snapshot: computed.snapshot };
  if (fullReason !== null || typeof source === 'string' || source.index.shared !== computed.shared) {
    const reason =
      fullReason ?? (typeof source === 'string' ? source : 'mã nguồn hoặc cấu hình chung của trang đã đổi');
    const index = { ...base, tasks: computed.taskHashes(tasks), dated: computed.datedOf(tasks) };
    return { mode: 'full', reason, index, source: null, renderTasks: [], redate: [], carry: [] };
  }
  if (source.index.inputs === computed.inputs) {
    // same inputs, same code: every file of the live release is what a full build would write
    const carry = source.manifest.files.map((f) => f.path).filter((p) => p !== PAGES_FILE);
    const index = { ...base, tasks: source.index.tasks, dated: source.index.dated };
    return { mode: 'unchanged', reason: '', index, source, renderTasks: [], redate: [], carry };
  }
  const hashes = computed.taskHashes(tasks);
  const dated = computed.datedOf(tasks);
  const renderTasks: string[] = [];
  const redate: Redate[] = [];
  const carry: string[] = [];
  for (const [code, h] of Object.entries(hashes)) {
    const path = taskPagePath(code);
    const was = source.index.dated?.[code];
    const now = dated[code];
    if (!source.entries.has(path)) renderTasks.push(code);
    else if (source.index.tasks[code] === h) carry.push(path);
    else if (was && now && was[0] === now[0])
      redate.push({ code, from: { asOf: was[1], days: was[2] }, to: { asOf: now[1], days: now[2] } });
    else renderTasks.push(code);
  }
  const index = { ...base, tasks: hashes, dated };
  return { mode: 'incremental', reason: '', index, source, renderTasks, redate, carry };
}

/**
 * Whether the live release was built from the very same publication text with the same code: its schema check
 * then passed on these bytes already (the stored SHA-256 is checked on every read), so it need not run again.
 */
export function validatedBefore(source: SourceRelease | string, computed: ComputedInputs): boolean {
  return (
    typeof source !== 'string' && source.index.shared === computed.shared && source.index.snapshot === computed.snapshot
  );
}

/** Size and SHA-256 of each carried file, as read through its new name. */
export type CarriedHashes = Map<string, { size: number; sha256: string }>;

// Plain CommonJS (an eval worker runs no TypeScript): links every path, then hashes each linked file that is not
// of its manifest size or was written since its manifest was (null: unchanged since hashed).
const CARRY_WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { linkSync, mkdirSync, readFileSync, rmSync, statSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { dirname, join } = require('node:path');
const { from, to, paths, sizes, hashedAt, staged } = workerData;
const made = new Set();
const link = (p) => {
  const target = join(to, p);
  const parent = dirname(target);
  if (!made.has(parent)) { mkdirSync(parent, { recursive: true }); made.add(parent); }
  linkSync(join(from, p), target);
};
if (!staged) for (const p of paths) link(p);
const hash = (file) => {
  const bytes = readFileSync(file);
  return [bytes.length, createHash('sha256').update(bytes).digest('hex')];
};
parentPort.postMessage(paths.map((p, i) => {
  const file = join(to, p);
  let st;
  if (staged) {
    // linked ahead (site-build-stage.ts): anything but the source's very file is linked again
    try { st = statSync(file); } catch { link(p); st = statSync(file); }
    const was = statSync(join(from, p));
    if (st.ino !== was.ino || st.dev !== was.dev) {
      rmSync(file, { recursive: true, force: true });
      link(p);
      st = statSync(file);
    }
  } else st = statSync(file);
  if (st.size === sizes[i] && st.mtimeMs < hashedAt) return null;
  return hash(file);
}));
`;

/**
 * Hard-links the carried files from the source into the new release (new names for the same bytes; nothing is
 * ever written through them), in a worker thread: the file system work runs beside Astro and the open data and
 * share images of the main thread. A carried file of its manifest size, not written since its manifest was, keeps
 * the manifest's hash, as the live release's own check does (verifyRelease, unwrittenSinceManifest): reading and
 * hashing 30,000 unchanged pages cost 3 s of a core. Any other is hashed; the check compares the hashes with the
 * source's manifest.
 */
export function carryFiles(
  source: SourceRelease,
  releaseDir: string,
  paths: string[],
  /** the files were linked ahead into releaseDir (a staged tree taken over): only the missing ones are linked */
  staged = false,
): Promise<CarriedHashes> {
  const before = paths.map((p) => source.entries.get(p));
  const workerData = {
    from: source.dir,
    to: releaseDir,
    paths,
    staged,
    // a path the manifest does not list can match no size
    sizes: before.map((e) => e?.size ?? -1),
    hashedAt: Date.parse(source.manifest.createdAt),
  };
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(CARRY_WORKER, { eval: true, workerData });
    worker.once('message', (hashes: Array<[number, string] | null>) =>
      resolvePromise(
        new Map(
          paths.map((p, i) => {
            const h = hashes[i];
            return [p, h ? { size: h[0], sha256: h[1] } : { size: before[i]!.size, sha256: before[i]!.sha256 }];
          }),
        ),
      ),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`carrying files over stopped with code ${code}`));
    });
  });
}

/** Moves what Astro wrote into its own folder into the release (task pages one by one, beside the carried ones). */
export function moveInto(from: string, releaseDir: string): void {
  mkdirSync(releaseDir, { recursive: true });
  for (const name of readdirSync(from)) {
    const target = join(releaseDir, name);
    if (existsSync(target) && statSync(target).isDirectory()) moveInto(join(from, name), target);
    else renameSync(join(from, name), target);
  }
}

/** Writes the page index into the release (a new file, renamed into place). */
export function writePageIndex(releaseDir: string, index: PageIndex): void {
  const tmp = join(releaseDir, `${PAGES_FILE}.tmp`);
  writeFileSync(tmp, JSON.stringify(index));
  renameSync(tmp, join(releaseDir, PAGES_FILE));
}
