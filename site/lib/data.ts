/**
 * The ONE loader of the public site: it reads the publication files the build script wrote (SITE_DATA_DIR) and
 * nothing else — the site is a pure function of the publications (DESIGN.md §4). Everything is read and indexed
 * once per build (module-level memo), so 30,000 task pages do no repeated work (PITFALLS: site build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AgencyEnd,
  type AnyAgencySummary,
  type AnyCounts,
  isCurrentSnapshot,
  type PublicTask,
  rulesVersionOf,
  type SnapshotHeader,
  type StoredSnapshotHeader,
} from '../../admin/publication/schema.ts';
import type { SiteArchive, SiteData, RevisionInfo, SiteReply } from './site-data.ts';
import { slugify } from './format.ts';

export interface AgencyTrendPoint {
  period: string;
  asOf: string;
  rulesVersion: number;
  counts: AnyCounts | null;
}

/** An agency with a page: every agency of any published period; `current` = present in the newest one. */
export interface AgencyPage {
  summary: AnyAgencySummary;
  current: boolean;
  /** merged or dissolved on or before the newest cutoff (from the newest snapshot that records ends) */
  end: AgencyEnd | null;
  /** the counting rules of the snapshot the summary comes from */
  rulesVersion: number;
  /** the period the summary comes from (the newest one where the agency appears) */
  period: string;
  asOf: string;
}

export interface Loaded {
  siteUrl: string;
  /** the newest period's snapshot header (the home page's numbers); any stored schema version */
  latest: StoredSnapshotHeader;
  /** latest revision of every period, oldest first */
  periods: StoredSnapshotHeader[];
  periodByName: Map<string, StoredSnapshotHeader>;
  /** the newest snapshot with period views (schema version 2), if any */
  latestCurrent: SnapshotHeader | null;
  revisions: RevisionInfo[];
  tasks: PublicTask[];
  /** codes of the tasks that have a page (the newest snapshot's) */
  taskCodes: Set<string>;
  agencies: AnyAgencySummary[];
  agencyByCode: Map<string, AnyAgencySummary>;
  /** agencies that ceased to exist, by code */
  agencyEnds: Map<string, AgencyEnd>;
  /** agencies merged into each successor, by the successor's code, oldest merger first (issue 12) */
  predecessors: Map<string, AgencyEnd[]>;
  /** every agency that gets a page, by code */
  agencyPages: Map<string, AgencyPage>;
  /** every agency name ever published, so old change lists still name merged agencies */
  agencyNames: Map<string, string>;
  tasksByAgency: Map<string, PublicTask[]>;
  agencyTrend: Map<string, AgencyTrendPoint[]>;
  openData: SiteData['openData'];
  /** the units' approved replies to their figures (issue 13), newest first */
  replies: SiteReply[];
  /** former provinces merged into this one (issue 12) */
  archives: SiteArchive[];
}

let memo: Loaded | null = null;

/**
 * Written into SITE_DATA_DIR once every input file is there. The build starts Astro before it has worked out which
 * pages to render (admin/publication/site-build.ts, SITE_INPUTS_GATE=1): Astro's start and its Vite build (≈ 2 s)
 * then overlap that work, and the first page to read its data waits here for the files.
 */
export const INPUTS_READY_FILE = 'inputs-ready';

function waitForInputs(dir: string): void {
  if (process.env.SITE_INPUTS_GATE !== '1') return;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 10 * 60_000;
  while (!existsSync(join(dir, INPUTS_READY_FILE))) {
    if (Date.now() > until) throw new Error(`${INPUTS_READY_FILE} never appeared in ${dir}`);
    Atomics.wait(pause, 0, 0, 5);
  }
}

export function loadSite(): Loaded {
  if (memo) return memo;
  const dir = process.env.SITE_DATA_DIR;
  if (!dir) throw new Error('SITE_DATA_DIR is not set: run the site through "npm run site:build".');
  waitForInputs(dir);
  const data = JSON.parse(readFileSync(join(dir, 'site-data.json'), 'utf8')) as SiteData;
  const tasks = JSON.parse(readFileSync(join(dir, 'tasks.json'), 'utf8')) as PublicTask[];
  memo = indexSite(data, tasks);
  return memo;
}

/**
 * The site's data indexed for the pages; pure, so the build computes each page's inputs from the very same
 * structure the pages read (admin/publication/site-build-plan.ts).
 */
export function indexSite(data: SiteData, tasks: PublicTask[]): Loaded {
  const periods = data.periods;
  const latest = periods[periods.length - 1];
  if (!latest) throw new Error('Chưa có kỳ nào được công bố.');
  const agencyByCode = new Map(latest.agencies.map((a) => [a.code, a]));
  const agencyNames = new Map<string, string>();
  for (const p of periods) for (const a of p.agencies) agencyNames.set(a.code, a.name);
  const tasksByAgency = new Map<string, PublicTask[]>();
  for (const t of tasks) {
    let list = tasksByAgency.get(t.leadAgency);
    if (!list) tasksByAgency.set(t.leadAgency, (list = []));
    list.push(t);
  }
  const latestCurrent = periods.findLast(isCurrentSnapshot) ?? null;
  const agencyEnds = new Map((latestCurrent?.agencyEnds ?? []).map((e) => [e.code, e]));
  for (const e of agencyEnds.values()) if (e.successor) agencyNames.set(e.successor.code, e.successor.name);
  const predecessors = new Map<string, AgencyEnd[]>();
  for (const e of agencyEnds.values()) {
    if (!e.successor) continue;
    let list = predecessors.get(e.successor.code);
    if (!list) predecessors.set(e.successor.code, (list = []));
    list.push(e);
  }
  for (const list of predecessors.values()) list.sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : 0));
  const agencyPages = new Map<string, AgencyPage>();
  for (const p of periods) {
    for (const a of p.agencies)
      agencyPages.set(a.code, {
        summary: a,
        current: p === latest,
        end: agencyEnds.get(a.code) ?? null,
        rulesVersion: rulesVersionOf(p),
        period: p.period,
        asOf: p.asOf,
      });
  }
  const agencyTrend = new Map<string, AgencyTrendPoint[]>();
  for (const code of agencyPages.keys()) agencyTrend.set(code, []);
  for (const p of periods) {
    const byCode = new Map(p.agencies.map((a) => [a.code, a.counts]));
    for (const [code, list] of agencyTrend)
      list.push({ period: p.period, asOf: p.asOf, rulesVersion: rulesVersionOf(p), counts: byCode.get(code) ?? null });
  }
  return {
    siteUrl: data.siteUrl.replace(/\/+$/, ''),
    latest,
    periods,
    periodByName: new Map(periods.map((p) => [p.period, p])),
    latestCurrent,
    revisions: data.revisions,
    replies: [...(data.replies ?? [])].sort((x, y) =>
      x.approvedOn < y.approvedOn ? 1 : x.approvedOn > y.approvedOn ? -1 : y.id - x.id,
    ),
    archives: data.archives ?? [],
    tasks,
    taskCodes: new Set(tasks.map((t) => t.code)),
    agencies: latest.agencies,
    agencyByCode,
    agencyEnds,
    predecessors,
    agencyPages,
    agencyNames,
    tasksByAgency,
    agencyTrend,
    openData: data.openData,
  };
}

export function agencyName(code: string): string {
  return loadSite().agencyNames.get(code) ?? code;
}

export function agencyHref(code: string): string {
  return `/co-quan/${slugify(code)}/`;
}

/** The agency page's address, or null when the agency has no page (e.g. only ever a coordinator). */
export function agencyLink(code: string): string | null {
  return loadSite().agencyPages.has(code) ? agencyHref(code) : null;
}

export function taskHref(code: string): string {
  return `/nhiem-vu/${code}/`;
}

export function reportHref(period: string): string {
  return `/bao-cao/${period}/`;
}
