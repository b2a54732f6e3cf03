/**
 * The holiday calendar (administrators: 'holiday.manage'): a year's days off and compensatory working days, add and
 * remove with a name, pre-fill a year from the holiday library, switch the working-day rule; every change is a new
 * row (admin/domain/holidays.ts) with its audit entry. Also the middleware that keeps the calendar classifyAsOf uses
 * by default in step with the database (one indexed lookup per request).
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { today } from '../domain/dates.ts';
import {
  addCalendarDay,
  type CalendarActor,
  deadlineCalendarOf,
  holidayYear,
  libraryFilled,
  prefillYear,
  removeCalendarDay,
  ruleHistory,
  setWorkingDayRule,
} from '../domain/holidays.ts';
import { DomainError } from '../domain/rules.ts';
import { HolidayPage } from '../views/holiday-page.tsx';
import { field, readForm } from './form-helpers.ts';

const FLASH: Record<string, string> = {
  added: 'Đã thêm ngày vào lịch.',
  removed: 'Đã xóa ngày khỏi lịch; lịch sử thay đổi vẫn được lưu.',
  rule_on: 'Đã bật quy tắc ngày làm việc cho các thời hạn chưa qua.',
  rule_off: 'Đã tắt quy tắc ngày làm việc cho các thời hạn chưa qua.',
  prefilled: 'Đã nạp ngày nghỉ lễ, Tết của năm từ thư viện ngày lễ.',
};

/** Keeps the default calendar of classifyAsOf (holidays-history.ts) equal to this database's, on every request. */
export function deadlineCalendarRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  deadlineCalendarOf(deps.db);
  app.use('*', async (_c, next) => {
    deadlineCalendarOf(deps.db);
    await next();
  });
  return app;
}

export function holidaysRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();

  const yearOf = (s: string | undefined): number | null => {
    if (s === undefined || s === '') return Number(today(clock()).slice(0, 4));
    return /^\d{4}$/.test(s) && Number(s) >= 1990 && Number(s) <= 2100 ? Number(s) : null;
  };
  const actorOf = (c: Context<AppEnv>): CalendarActor => ({
    principal: c.get('principal')!,
    userId: c.get('user')!.id,
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? '',
  });
  const page = (
    c: Context<AppEnv>,
    year: number,
    opts: {
      values?: Record<string, string>;
      errors?: Record<string, string>;
      status?: 200 | 400 | 404 | 409 | 422;
    } = {},
  ) =>
    c.html(
      <HolidayPage
        user={c.get('user')}
        data={holidayYear(db, year)}
        ruleHistory={ruleHistory(db)}
        libraryFilled={libraryFilled(db, year)}
        flash={FLASH[c.req.query('msg') ?? ''] ?? null}
        values={opts.values ?? {}}
        errors={opts.errors ?? {}}
      />,
      opts.status ?? 200,
    );
  const fail = (c: Context<AppEnv>, year: number, e: unknown, values: Record<string, string>, key: string) => {
    if (!(e instanceof DomainError)) throw e;
    const status = e.status === 403 ? 400 : e.status;
    return page(c, year, { values, errors: { [key]: e.message }, status });
  };

  app.get('/holidays', requirePermission('holiday.manage'), (c) => {
    const year = yearOf(c.req.query('year'));
    if (year === null)
      return page(c, Number(today(clock()).slice(0, 4)), {
        errors: { year: 'Năm không hợp lệ (từ 1990 đến 2100).' },
        status: 400,
      });
    return page(c, year);
  });

  app.post('/holidays', requirePermission('holiday.manage'), async (c) => {
    const body = await readForm(c);
    const values = { day: field(body, 'day', 20), kind: field(body, 'kind', 20), name: field(body, 'name', 400) };
    const year = yearOf(values.day.slice(0, 4)) ?? Number(today(clock()).slice(0, 4));
    try {
      addCalendarDay(db, clock(), actorOf(c), values);
    } catch (e) {
      const code = e instanceof DomainError ? e.code : '';
      return fail(c, year, e, values, code === 'bad_name' ? 'name' : code === 'bad_kind' ? 'kind' : 'day');
    }
    return c.redirect(`/admin/holidays?year=${year}&msg=added`, 303);
  });

  app.post('/holidays/remove', requirePermission('holiday.manage'), async (c) => {
    const body = await readForm(c);
    const day = field(body, 'day', 20);
    const year = yearOf(day.slice(0, 4)) ?? Number(today(clock()).slice(0, 4));
    try {
      removeCalendarDay(db, clock(), actorOf(c), day);
    } catch (e) {
      return fail(c, year, e, {}, 'day');
    }
    return c.redirect(`/admin/holidays?year=${year}&msg=removed`, 303);
  });

  app.post('/holidays/rule', requirePermission('holiday.manage'), async (c) => {
    const body = await readForm(c);
    const on = field(body, 'on', 2);
    const year = yearOf(field(body, 'year', 4)) ?? Number(today(clock()).slice(0, 4));
    if (on !== '0' && on !== '1')
      return page(c, year, { errors: { rule: 'Yêu cầu bật hoặc tắt quy tắc không hợp lệ.' }, status: 400 });
    setWorkingDayRule(db, clock(), actorOf(c), on === '1');
    return c.redirect(`/admin/holidays?year=${year}&msg=${on === '1' ? 'rule_on' : 'rule_off'}`, 303);
  });

  app.post('/holidays/prefill', requirePermission('holiday.manage'), async (c) => {
    const body = await readForm(c);
    const year = yearOf(field(body, 'year', 4));
    if (year === null)
      return page(c, Number(today(clock()).slice(0, 4)), {
        errors: { year: 'Năm không hợp lệ (từ 1990 đến 2100).' },
        status: 400,
      });
    try {
      prefillYear(db, clock(), actorOf(c), year);
    } catch (e) {
      return fail(c, year, e, {}, 'year');
    }
    return c.redirect(`/admin/holidays?year=${year}&msg=prefilled`, 303);
  });

  return app;
}
