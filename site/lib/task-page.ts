/**
 * What a task page shows, and nothing else: the page renders from these props only (and the layout's site-wide
 * settings), so the build can tell by a hash of them whether a page would come out the same and carry it over from
 * the previous release instead of rendering it again (admin/publication/site-build-plan.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublicTask } from '../../admin/publication/schema.ts';
import { agencyHref, type Loaded } from './data.ts';

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
