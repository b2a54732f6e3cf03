/**
 * The audit log for administrators: newest first, filtered by person, action, target and date range, paged; read in
 * Vietnamese (admin/audit/labels.ts, admin/views/audit-table.tsx) with the raw data one click away.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { listAudit, listAuditActions } from '../audit/audit.ts';
import { addDays, parseDateInput } from '../domain/dates.ts';
import { auditActionLabel } from '../audit/labels.ts';
import { AuditTable } from '../views/audit-table.tsx';
import { Layout } from '../views/layout.tsx';
import { Field, Flash, Pager, SelectField } from '../views/components.tsx';

const PAGE_SIZE = 50;

/** Start of a calendar day in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) as a UTC ISO instant. */
function localDayStartUtc(date: string): string {
  return new Date(`${date}T00:00:00+07:00`).toISOString();
}

export function auditRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/audit', requirePermission('audit.read'), (c) => {
    const q = {
      actor: (c.req.query('actor') ?? '').trim().slice(0, 100),
      action: (c.req.query('action') ?? '').trim().slice(0, 60),
      target: (c.req.query('target') ?? '').trim().slice(0, 100),
      from: (c.req.query('from') ?? '').trim().slice(0, 10),
      to: (c.req.query('to') ?? '').trim().slice(0, 10),
    };
    const page = Math.max(1, Math.min(100_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const errors: string[] = [];
    const from = q.from ? parseDateInput(q.from) : null;
    const to = q.to ? parseDateInput(q.to) : null;
    if (q.from && !from) errors.push('Ngày bắt đầu không hợp lệ (dd/mm/yyyy).');
    if (q.to && !to) errors.push('Ngày kết thúc không hợp lệ (dd/mm/yyyy).');
    const { rows, total } = listAudit(
      deps.db,
      {
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.target ? { target: q.target } : {}),
        ...(from ? { from: localDayStartUtc(from) } : {}),
        ...(to ? { to: localDayStartUtc(addDays(to, 1)) } : {}),
      },
      page,
      PAGE_SIZE,
    );
    const query = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== ''));
    return c.html(
      <Layout title="Nhật ký hệ thống" user={c.get('user')} current="audit">
        {errors.map((e) => (
          <Flash kind="error">{e}</Flash>
        ))}
        <form method="get" action="/admin/audit" class="filters">
          <Field name="actor" label="Người thực hiện" value={q.actor} />
          <SelectField
            name="action"
            label="Thao tác"
            value={q.action}
            emptyLabel="Tất cả"
            options={listAuditActions(deps.db).map((a) => ({ value: a, label: auditActionLabel(a) }))}
          />
          <Field name="target" label="Đối tượng (mã)" value={q.target} />
          <Field name="from" label="Từ ngày" value={q.from} hint="dd/mm/yyyy" />
          <Field name="to" label="Đến ngày" value={q.to} hint="dd/mm/yyyy" />
          <div class="field">
            <button type="submit">Lọc</button>
          </div>
        </form>
        <AuditTable rows={rows} total={total} />
        <Pager page={page} pageSize={PAGE_SIZE} total={total} baseUrl="/admin/audit" query={query} />
      </Layout>,
    );
  });
  return app;
}
