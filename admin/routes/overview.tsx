/**
 * The leaders' overview (issue 10, DESIGN.md §6): for the Chairman, the Vice-Chairmen and the office lead (working
 * group), the province for any period — three views, per agency and per leader, overdue ageing, the 12-month
 * trend, the confirmers' backlog — server-rendered, no script. Figures: domain/overview.ts (computePeriodStats);
 * period input: domain/overview-period.ts; page: views/overview-page.ts. A bad period keeps the form, with its
 * message, and answers 400.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { addMonths, today } from '../domain/dates.ts';
import {
  isSortKey,
  isViewKey,
  loadOverview,
  overviewDataRange,
  type SortKey,
  type ViewKey,
} from '../domain/overview.ts';
import { parsePeriodPicker, periodQuery } from '../domain/overview-period.ts';
import { standardPeriod, type PeriodKind } from '../domain/periods.ts';
import { renderOverviewPage } from '../views/overview-page.ts';
import type { QuickPick } from '../views/period-picker.ts';

/** The quick picks of `day`, made once a day (each is six periods and their links): see quickPicks. */
let picksOf: { day: string; picks: QuickPick[] } | null = null;

function quickPicks(day: string): QuickPick[] {
  if (picksOf?.day !== day) picksOf = { day, picks: makeQuickPicks(day) };
  return picksOf.picks;
}

function makeQuickPicks(day: string): QuickPick[] {
  const pick = (label: string, kind: PeriodKind, ref: string): QuickPick => {
    const p = standardPeriod(kind, ref);
    return { label, href: `/admin/overview?${new URLSearchParams(periodQuery(p)).toString()}` };
  };
  return [
    pick('Tháng này', 'month', day),
    pick('Tháng trước', 'month', addMonths(`${day.slice(0, 7)}-01`, -1)),
    pick('Quý này', 'quarter', day),
    pick('6 tháng đầu năm', 'half', day),
    pick('Từ đầu năm', 'ytd', day),
    pick('Năm trước', 'year', `${Number(day.slice(0, 4)) - 1}-06-30`),
  ];
}

export function overviewRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/overview', requirePermission('overview.view'), async (c) => {
    const user = c.get('user')!;
    const day = today(deps.clock());
    const q = c.req.query();
    const picked = parsePeriodPicker(q, overviewDataRange(deps.db, day));
    const errors = picked.ok ? {} : { ...picked.errors };
    const sortRaw = (q.sort ?? '').trim();
    const dirRaw = (q.dir ?? '').trim();
    let sort: SortKey = 'name';
    if (sortRaw !== '') {
      if (isSortKey(sortRaw)) sort = sortRaw;
      else errors.sort = 'Cột sắp xếp không hợp lệ.';
    }
    if (dirRaw !== '' && dirRaw !== 'asc' && dirRaw !== 'desc') errors.dir = 'Chiều sắp xếp chỉ nhận asc hoặc desc.';
    // the agency table shows one view: the one asked for, else the sorted column's, else the period's own
    const viewRaw = (q.view ?? '').trim();
    const sortView = sort === 'name' ? null : (sort.split('.')[0] as ViewKey);
    let view: ViewKey = sortView ?? 'assigned';
    if (viewRaw !== '') {
      if (isViewKey(viewRaw)) view = viewRaw;
      else errors.view = 'Cách tính chỉ nhận assigned, backlog hoặc cumulative.';
    }
    if (sortView !== null && sortView !== view && !errors.view)
      errors.sort = 'Cột sắp xếp không thuộc cách tính đang xem.';
    const dir: 'asc' | 'desc' =
      dirRaw === 'desc' ? 'desc' : dirRaw === 'asc' ? 'asc' : sort === 'name' ? 'asc' : 'desc';
    const ok = picked.ok && Object.keys(errors).length === 0;
    const data = ok && picked.ok ? loadOverview(deps.db, picked.period, day) : null;
    const page = renderOverviewPage({
      user,
      values: picked.values,
      errors,
      quick: quickPicks(day),
      data,
      view,
      sort,
      dir,
    });
    return c.body(page, ok ? 200 : 400, { 'Content-Type': 'text/html; charset=UTF-8' });
  });
  return app;
}
