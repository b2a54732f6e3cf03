/**
 * What a task page shows, and nothing else: the page renders from these props only (and the layout's site-wide
 * settings), so the build can tell by a hash of them whether a page would come out the same and carry it over from
 * the previous release instead of rendering it again (admin/publication/site-build-plan.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublicTask } from '../../admin/publication/schema.ts';
import { agencyHref, type Loaded } from './data.ts';
import { formatDateVi, num } from './format.ts';

export interface TaskPageProps {
  task: PublicTask;
  /**
   * The cutoff the status is told as of, for an overdue task (its days overdue are counted to it); null otherwise:
   * a completed task's status is final, and a task in progress keeps its status until its facts change (its
   * deadline passing makes it overdue), when its page is rendered again, so the page holds at every later cutoff.
   */
  asOf: string | null;
  /** name and page address (null: no page) of every agency the page names */
  agencies: Record<string, { name: string; href: string | null }>;
}

export function taskPageProps(site: Loaded, task: PublicTask): TaskPageProps {
  const agencies: TaskPageProps['agencies'] = {};
  const add = (code: string) => {
    agencies[code] ??= {
      name: site.agencyNames.get(code) ?? code,
      href: site.agencyPages.has(code) ? agencyHref(code) : null,
    };
  };
  add(task.leadAgency);
  for (const c of task.coordinators) add(c);
  for (const e of task.timeline) if (e.toAgency) add(e.toAgency);
  return { task, asOf: task.status === 'overdue' ? site.latest.asOf : null, agencies };
}

/**
 * What an overdue task's page says of its cutoff: the cutoff itself (`asOf`) and the days overdue counted to it. The
 * rest of such a page is its facts; a new cutoff with the same facts changes only these words (issue 14).
 */
export interface PageCutoff {
  asOf: string;
  days: number;
}

/** The cutoff a task page tells (null: none, its page holds at every cutoff) and the hash-ready rest of its props. */
export function cutoffOf(props: TaskPageProps): { cutoff: PageCutoff; facts: TaskPageProps } | null {
  if (props.asOf === null) return null;
  return {
    cutoff: { asOf: props.asOf, days: props.task.overdueDays },
    facts: { ...props, asOf: '', task: { ...props.task, overdueDays: 0 } },
  };
}

/**
 * How many times an overdue task's page writes its cutoff's date ("tính đến ngày 31/03/2026": the description and
 * og:description of the layout, the status line, the footer) and its days overdue ("quá hạn 12 ngày": the status).
 * Kept beside the page's props: a change to the page or the layout that mentions them elsewhere must change these
 * (the incremental build test compares re-dated pages with a full build's, byte for byte).
 */
export const CUTOFF_MENTIONS = { date: 4, days: 1 } as const;

const dateWords = (asOf: string) => `tính đến ngày ${formatDateVi(asOf)}`;
const daysWords = (days: number) => `quá hạn ${num(days)} ngày`;

function occurrences(text: string, words: string): number {
  let n = 0;
  for (let i = text.indexOf(words); i !== -1; i = text.indexOf(words, i + words.length)) n++;
  return n;
}

/**
 * The page of the same facts told at another cutoff, from the page rendered at `from` (its HTML): the cutoff's
 * words replaced where the page writes them. Null when the page does not hold each exactly as often as the page
 * itself writes it (CUTOFF_MENTIONS): a title or result that happens to contain such words makes the build render
 * that page instead, so the words of a task's own text are never touched.
 */
export function redatePage(html: string, from: PageCutoff, to: PageCutoff): string | null {
  const fromDate = dateWords(from.asOf);
  const fromDays = daysWords(from.days);
  if (occurrences(html, fromDate) !== CUTOFF_MENTIONS.date) return null;
  if (occurrences(html, fromDays) !== CUTOFF_MENTIONS.days) return null;
  return html.replaceAll(fromDate, dateWords(to.asOf)).replaceAll(fromDays, daysWords(to.days));
}

/** File of the site input naming the task pages to render; absent: all of them (a full build). */
export const RENDER_TASKS_FILE = 'render-tasks.json';

/** The tasks whose pages this build renders (the others are carried over from the previous release). */
export function tasksToRender(site: Loaded): PublicTask[] {
  const dir = process.env.SITE_DATA_DIR;
  let only: string[] | null = null;
  try {
    if (dir) only = JSON.parse(readFileSync(join(dir, RENDER_TASKS_FILE), 'utf8')) as string[];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (only === null) return site.tasks;
  const wanted = new Set(only);
  return site.tasks.filter((t) => wanted.has(t.code));
}
