/**
 * Agencies (administrators: 'agency.manage'): list with status, successor and task counts; create; rename; merge
 * into a successor (open tasks move with 'reassigned' events, history kept); dissolve. Logic and refusals live in
 * admin/domain/agencies.ts; this file validates forms, shows errors in Vietnamese and redirects after each write.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import {
  AGENCY_KIND_LABELS,
  AGENCY_STATUS_LABELS,
  agencyKindSchema,
  agencyNameSchema,
  agencyStatus,
  createAgency,
  getAgency,
  listAgencies,
  newAgencySchema,
  renameAgency,
  zodFieldErrors,
  type AgencyRow,
  type ChangeContext,
} from '../domain/agencies.ts';
import { dissolveAgency, mergeAgency, mergeErrorField } from '../domain/agency-reorganisation.ts';
import { blockingTask } from '../domain/agency-split.ts';
import { nameHistory } from '../domain/agency-names.ts';
import { AgencyDetailPage, agencyKindOptions as kindOptions } from '../views/agency-detail.tsx';
import { DateField } from '../views/forms.tsx';
import { DomainError } from '../domain/rules.ts';
import { formatDateVi, parseDateInput, today, type IsoDate } from '../domain/dates.ts';
import { z } from 'zod';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash, SelectField, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';
import type { DB } from '../db/open.ts';
import { compareVi } from '../domain/collation.ts';
import { agencyUnitRoutes, HeadApprovalForm } from './agency-unit.tsx';

type Values = Record<string, string>;
type Errors = Record<string, string>;

const BAD_ESTABLISHED = 'Ngày thành lập không hợp lệ; nhập theo dạng dd/mm/yyyy.';
/** An optional dd/mm/yyyy field: undefined when empty, null when malformed. */
const optionalDate = (s: string): IsoDate | undefined | null => (s.trim() === '' ? undefined : parseDateInput(s));

function activeOthers(db: DB, exceptId: number) {
  return listAgencies(db)
    .filter((a) => a.status === 'active' && a.id !== exceptId)
    .sort((a, b) => compareVi(a.name, b.name))
    .map((a) => ({ value: String(a.id), label: `${a.name} (${a.code})` }));
}

export function agenciesRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const ctxOf = (c: Context<AppEnv>): ChangeContext => ({
    actor: c.get('principal'),
    at: clock(),
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? '',
  });
  const load = (c: Context<AppEnv>): AgencyRow => {
    const a = getAgency(db, Number(c.req.param('id')));
    if (!a) throw new DomainError('agency_not_found', 'Không tìm thấy đơn vị.', 404);
    return a;
  };

  app.get('/agencies', requirePermission('agency.manage'), (c) => {
    const rows = listAgencies(db);
    const msg = flashFromQuery(c);
    const active = rows.filter((r) => r.status === 'active').length;
    return c.html(
      <Layout title="Đơn vị" user={c.get('user')} current="agencies">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <p>
          <a class="button" href="/admin/agencies/new">
            Thêm đơn vị
          </a>
        </p>
        <Table
          caption={`${rows.length} đơn vị (${active} đang hoạt động)`}
          head={[
            'Mã',
            'Tên đơn vị',
            'Loại',
            'Trạng thái',
            'Đơn vị kế thừa',
            'Nhiệm vụ chủ trì',
            'Đang thực hiện',
            'Tài khoản',
          ]}
          rows={rows.map((a) => [
            a.code,
            <a href={`/admin/agencies/${a.id}`}>{a.name}</a>,
            AGENCY_KIND_LABELS[a.kind],
            a.status === 'merged'
              ? `${AGENCY_STATUS_LABELS.merged} (${formatDateVi(a.merged_on)})`
              : a.status === 'dissolved'
                ? `${AGENCY_STATUS_LABELS.dissolved} (${formatDateVi(a.dissolved_on)})`
                : AGENCY_STATUS_LABELS.active,
            a.successor_name ?? '',
            String(a.total_tasks),
            String(a.open_tasks),
            String(a.users),
          ])}
        />
      </Layout>,
    );
  });

  const NewPage = (p: { c: Context<AppEnv>; values: Values; errors: Errors }) => (
    <Layout title="Thêm đơn vị" user={p.c.get('user')} current="agencies">
      <form method="post" action="/admin/agencies">
        <ErrorSummary errors={p.errors} />
        <Field
          name="code"
          label="Mã đơn vị"
          hint="Chữ cái không dấu, chữ số, dấu - _ . ; ví dụ STC, UBND-HX. Không đổi được sau khi tạo."
          value={p.values.code}
          error={p.errors.code}
          required
          maxlength={30}
          autocomplete="off"
        />
        <Field name="name" label="Tên đơn vị" value={p.values.name} error={p.errors.name} required maxlength={200} />
        <SelectField
          name="kind"
          label="Loại đơn vị"
          value={p.values.kind}
          error={p.errors.kind}
          emptyLabel="— Chọn loại —"
          options={kindOptions}
        />
        <DateField
          name="established_on"
          label="Ngày thành lập (để trống: hôm nay)"
          value={p.values.established_on}
          error={p.errors.established_on}
        />
        <button type="submit">Thêm đơn vị</button>
      </form>
    </Layout>
  );

  app.get('/agencies/new', requirePermission('agency.manage'), (c) =>
    c.html(<NewPage c={c} values={{}} errors={{}} />),
  );

  app.post('/agencies', requirePermission('agency.manage'), async (c) => {
    const body = await readForm(c);
    const values: Values = {
      code: field(body, 'code', 60),
      name: field(body, 'name', 400),
      kind: field(body, 'kind', 20),
      established_on: field(body, 'established_on', 12),
    };
    const parsed = newAgencySchema.safeParse(values);
    const established = optionalDate(values.established_on!);
    if (!parsed.success || established === null) {
      const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
      if (established === null) errors.established_on = BAD_ESTABLISHED;
      return c.html(<NewPage c={c} values={values} errors={errors} />, 422);
    }
    let id: number;
    try {
      id = createAgency(db, { ...parsed.data, establishedOn: established }, ctxOf(c));
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404) {
        const key = e.code === 'duplicate_code' ? 'code' : 'established_on';
        return c.html(<NewPage c={c} values={values} errors={{ [key]: e.message }} />, 422);
      }
      throw e;
    }
    return c.redirect(`/admin/agencies/${id}?msg=agency_created`, 303);
  });

  const DetailPage = (p: {
    c: Context<AppEnv>;
    a: AgencyRow;
    values?: Values;
    errors?: Errors;
    form?: 'rename' | 'merge' | 'dissolve';
  }) => {
    const { a } = p;
    const st = agencyStatus(a);
    const all = listAgencies(db);
    return (
      <AgencyDetailPage
        user={p.c.get('user')}
        a={a}
        status={st}
        row={all.find((r) => r.id === a.id)!}
        successor={a.successor_id !== null ? getAgency(db, a.successor_id) : undefined}
        predecessors={all.filter((r) => r.successor_id === a.id)}
        names={nameHistory(db, a.id)}
        others={st === 'active' ? activeOthers(db, a.id) : []}
        blocking={st === 'active' ? blockingTask(db, a.id) : null}
        msg={flashFromQuery(p.c)}
        form={p.form}
        values={p.values}
        errors={p.errors}
        headApproval={<HeadApprovalForm db={db} agencyId={a.id} />}
      />
    );
  };

  app.get('/agencies/:id{[0-9]+}', requirePermission('agency.manage'), (c) => c.html(<DetailPage c={c} a={load(c)} />));
  app.route('/', agencyUnitRoutes(deps));

  app.post('/agencies/:id{[0-9]+}', requirePermission('agency.manage'), async (c) => {
    const a = load(c);
    const body = await readForm(c);
    const values: Values = {
      name: field(body, 'name', 400),
      kind: field(body, 'kind', 20),
      renamed_on: field(body, 'renamed_on', 12),
      established_on: field(body, 'established_on', 12),
    };
    const parsed = z.object({ name: agencyNameSchema, kind: agencyKindSchema }).safeParse(values);
    const renamedOn = optionalDate(values.renamed_on!);
    const established = optionalDate(values.established_on!);
    if (!parsed.success || renamedOn === null || established === null) {
      const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
      if (renamedOn === null) errors.renamed_on = 'Ngày đổi tên không hợp lệ; nhập theo dạng dd/mm/yyyy.';
      if (established === null) errors.established_on = BAD_ESTABLISHED;
      return c.html(<DetailPage c={c} a={a} form="rename" values={values} errors={errors} />, 422);
    }
    try {
      renameAgency(db, a.id, { ...parsed.data, renamedOn, establishedOn: established }, ctxOf(c), today(clock()));
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404) {
        const key = { bad_rename_date: 'renamed_on', bad_established: 'established_on' }[e.code] ?? 'name';
        return c.html(<DetailPage c={c} a={a} form="rename" values={values} errors={{ [key]: e.message }} />, 422);
      }
      throw e;
    }
    return c.redirect(`/admin/agencies/${a.id}?msg=agency_updated`, 303);
  });

  const idField = (s: string): number | null => (/^[1-9][0-9]{0,9}$/.test(s) ? Number(s) : null);

  app.post('/agencies/:id{[0-9]+}/merge', requirePermission('agency.manage'), async (c) => {
    const a = load(c);
    const body = await readForm(c);
    const values: Values = {
      successor_id: field(body, 'successor_id', 12),
      on: field(body, 'on', 12),
      users: field(body, 'users', 10),
      reason: field(body, 'reason', 2000),
    };
    const errors: Errors = {};
    const toId = idField(values.successor_id!);
    if (toId === null) errors.successor_id = 'Chọn đơn vị kế thừa.';
    const on = parseDateInput(values.on!);
    if (on === null) errors.on = 'Ngày hợp nhất không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.';
    if (values.users !== 'disable' && values.users !== 'move') errors.users = 'Chọn cách xử lý tài khoản của đơn vị.';
    if (values.reason!.trim().length < 5)
      errors.reason = 'Cần ghi rõ lý do hợp nhất (căn cứ quyết định, ít nhất 5 ký tự).';
    if (Object.keys(errors).length > 0)
      return c.html(<DetailPage c={c} a={a} form="merge" values={values} errors={errors} />, 422);
    try {
      mergeAgency(
        db,
        {
          fromId: a.id,
          toId: toId!,
          on: on!,
          usersPolicy: values.users as 'disable' | 'move',
          reason: values.reason!,
        },
        ctxOf(c),
        today(clock()),
      );
    } catch (e) {
      if (e instanceof DomainError) {
        const key = mergeErrorField(e.code);
        return c.html(<DetailPage c={c} a={a} form="merge" values={values} errors={{ [key]: e.message }} />, 422);
      }
      throw e;
    }
    return c.redirect(`/admin/agencies/${a.id}?msg=agency_merged`, 303);
  });

  app.post('/agencies/:id{[0-9]+}/dissolve', requirePermission('agency.manage'), async (c) => {
    const a = load(c);
    const body = await readForm(c);
    const values: Values = { dissolve_on: field(body, 'dissolve_on', 12), receiver_id: field(body, 'receiver_id', 12) };
    const errors: Errors = {};
    const on = parseDateInput(values.dissolve_on!);
    if (on === null) errors.dissolve_on = 'Ngày giải thể không hợp lệ; nhập theo dạng dd/mm/yyyy.';
    const receiverId = values.receiver_id === '' ? null : idField(values.receiver_id!);
    if (values.receiver_id !== '' && receiverId === null) errors.receiver_id = 'Đơn vị tiếp nhận không hợp lệ.';
    if (Object.keys(errors).length > 0)
      return c.html(<DetailPage c={c} a={a} form="dissolve" values={values} errors={errors} />, 422);
    try {
      dissolveAgency(db, { id: a.id, on: on!, receiverId }, ctxOf(c), today(clock()));
    } catch (e) {
      if (e instanceof DomainError) {
        const key = ['bad_date', 'future_date', 'before_last_event'].includes(e.code) ? 'dissolve_on' : 'receiver_id';
        return c.html(<DetailPage c={c} a={a} form="dissolve" values={values} errors={{ [key]: e.message }} />, 422);
      }
      throw e;
    }
    return c.redirect(`/admin/agencies/${a.id}?msg=agency_dissolved`, 303);
  });

  return app;
}
