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
  AGENCY_KINDS,
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
import { dissolveAgency, mergeAgency } from '../domain/agency-reorganisation.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateVi, parseDateInput, today } from '../domain/dates.ts';
import { z } from 'zod';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash, SelectField, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';
import type { DB } from '../db/open.ts';
import { compareVi } from '../domain/collation.ts';
import { agencyUnitRoutes, HeadApprovalForm } from './agency-unit.tsx';

type Values = Record<string, string>;
type Errors = Record<string, string>;

const kindOptions = AGENCY_KINDS.map((k) => ({ value: k, label: AGENCY_KIND_LABELS[k] }));

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
    };
    const parsed = newAgencySchema.safeParse(values);
    if (!parsed.success) return c.html(<NewPage c={c} values={values} errors={zodFieldErrors(parsed.error)} />, 422);
    let id: number;
    try {
      id = createAgency(db, parsed.data, ctxOf(c));
    } catch (e) {
      if (e instanceof DomainError && e.code === 'duplicate_code')
        return c.html(<NewPage c={c} values={values} errors={{ code: e.message }} />, 422);
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
    const values = p.values ?? {};
    const errors = p.errors ?? {};
    const errs = (f: string) => (p.form === f ? errors : {});
    const vals = (f: string) => (p.form === f ? values : {});
    const row = listAgencies(db).find((r) => r.id === a.id)!;
    const successor = a.successor_id !== null ? getAgency(db, a.successor_id) : undefined;
    const others = st === 'active' ? activeOthers(db, a.id) : [];
    const msg = flashFromQuery(p.c);
    return (
      <Layout title={`Đơn vị: ${a.name}`} user={p.c.get('user')} current="agencies">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <dl class="facts">
          <dt>Mã</dt>
          <dd>{a.code}</dd>
          <dt>Loại</dt>
          <dd>{AGENCY_KIND_LABELS[a.kind]}</dd>
          <dt>Trạng thái</dt>
          <dd>
            {AGENCY_STATUS_LABELS[st]}
            {st === 'merged' && successor && (
              <>
                {' '}
                vào <a href={`/admin/agencies/${successor.id}`}>{successor.name}</a> từ ngày {formatDateVi(a.merged_on)}
              </>
            )}
            {st === 'dissolved' && ` từ ngày ${formatDateVi(a.dissolved_on)}`}
          </dd>
          <dt>Nhiệm vụ chủ trì</dt>
          <dd>
            {row.total_tasks} (đang thực hiện: {row.open_tasks})
          </dd>
          <dt>Tài khoản đang hoạt động</dt>
          <dd>{row.users}</dd>
        </dl>
        {st !== 'active' && (
          <p>Đơn vị không còn hoạt động: số liệu và lịch sử của đơn vị vẫn được giữ nguyên trong các kỳ đã công bố.</p>
        )}
        {st === 'active' && (
          <>
            <h2>Đổi tên</h2>
            <p class="hint">Các kỳ đã công bố giữ tên cũ; tên cũ được ghi vào nhật ký hệ thống.</p>
            <form method="post" action={`/admin/agencies/${a.id}`}>
              <ErrorSummary errors={errs('rename')} />
              <Field
                name="name"
                label="Tên đơn vị"
                value={vals('rename').name ?? a.name}
                error={errs('rename').name}
                required
                maxlength={200}
              />
              <SelectField
                name="kind"
                label="Loại đơn vị"
                value={vals('rename').kind ?? a.kind}
                error={errs('rename').kind}
                options={kindOptions}
              />
              <button type="submit">Lưu</button>
            </form>

            <HeadApprovalForm db={db} agencyId={a.id} />

            <h2>Hợp nhất vào đơn vị kế thừa</h2>
            <p class="hint">
              Các nhiệm vụ đang thực hiện chuyển sang đơn vị kế thừa từ ngày hợp nhất; số liệu tính đến các ngày trước
              đó vẫn thuộc {a.name}. Nhiệm vụ đã hoàn thành hoặc đã thu hồi giữ nguyên đơn vị. Không hoàn tác được.
            </p>
            <form method="post" action={`/admin/agencies/${a.id}/merge`}>
              <ErrorSummary errors={errs('merge')} />
              <SelectField
                name="successor_id"
                label="Đơn vị kế thừa"
                value={vals('merge').successor_id}
                error={errs('merge').successor_id}
                emptyLabel="— Chọn đơn vị —"
                options={others}
              />
              <Field
                name="on"
                label="Ngày hợp nhất (dd/mm/yyyy)"
                value={vals('merge').on}
                error={errs('merge').on}
                required
                maxlength={10}
                autocomplete="off"
              />
              <SelectField
                name="users"
                label="Tài khoản của đơn vị"
                value={vals('merge').users ?? 'disable'}
                error={errs('merge').users}
                options={[
                  {
                    value: 'disable',
                    label: 'Khoá tài khoản (mặc định; quản trị viên cấp lại khi đơn vị kế thừa đề nghị)',
                  },
                  { value: 'move', label: 'Chuyển tài khoản sang đơn vị kế thừa' },
                ]}
              />
              <button type="submit" class="danger">
                Hợp nhất
              </button>
            </form>

            <h2>Chia tách</h2>
            <p>
              <a href={`/admin/agencies/${a.id}/split`}>Chia tách (xem trước từng nhiệm vụ)</a>
            </p>

            <h2>Giải thể</h2>
            <p class="hint">
              Đơn vị còn nhiệm vụ đang thực hiện thì phải chọn đơn vị tiếp nhận. Tài khoản của đơn vị bị khoá. Không
              hoàn tác được.
            </p>
            <form method="post" action={`/admin/agencies/${a.id}/dissolve`}>
              <ErrorSummary errors={errs('dissolve')} />
              <Field
                name="dissolve_on"
                label="Ngày giải thể (dd/mm/yyyy)"
                value={vals('dissolve').dissolve_on}
                error={errs('dissolve').dissolve_on}
                required
                maxlength={10}
                autocomplete="off"
              />
              <SelectField
                name="receiver_id"
                label="Đơn vị tiếp nhận nhiệm vụ đang thực hiện"
                value={vals('dissolve').receiver_id}
                error={errs('dissolve').receiver_id}
                emptyLabel="— Không có (đơn vị không còn nhiệm vụ đang thực hiện) —"
                options={others}
              />
              <button type="submit" class="danger">
                Giải thể
              </button>
            </form>
          </>
        )}
        <p>
          <a href="/admin/agencies">Về danh sách đơn vị</a>
        </p>
      </Layout>
    );
  };

  app.get('/agencies/:id{[0-9]+}', requirePermission('agency.manage'), (c) => c.html(<DetailPage c={c} a={load(c)} />));
  app.route('/', agencyUnitRoutes(deps));

  app.post('/agencies/:id{[0-9]+}', requirePermission('agency.manage'), async (c) => {
    const a = load(c);
    const body = await readForm(c);
    const values: Values = { name: field(body, 'name', 400), kind: field(body, 'kind', 20) };
    const parsed = z.object({ name: agencyNameSchema, kind: agencyKindSchema }).safeParse(values);
    if (!parsed.success)
      return c.html(
        <DetailPage c={c} a={a} form="rename" values={values} errors={zodFieldErrors(parsed.error)} />,
        422,
      );
    try {
      renameAgency(db, a.id, parsed.data, ctxOf(c));
    } catch (e) {
      if (e instanceof DomainError && e.status !== 404)
        return c.html(<DetailPage c={c} a={a} form="rename" values={values} errors={{ name: e.message }} />, 422);
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
    };
    const errors: Errors = {};
    const toId = idField(values.successor_id!);
    if (toId === null) errors.successor_id = 'Chọn đơn vị kế thừa.';
    const on = parseDateInput(values.on!);
    if (on === null) errors.on = 'Ngày hợp nhất không hợp lệ; nhập theo dạng dd/mm/yyyy, ví dụ 01/07/2025.';
    if (values.users !== 'disable' && values.users !== 'move') errors.users = 'Chọn cách xử lý tài khoản của đơn vị.';
    if (Object.keys(errors).length > 0)
      return c.html(<DetailPage c={c} a={a} form="merge" values={values} errors={errors} />, 422);
    try {
      mergeAgency(
        db,
        { fromId: a.id, toId: toId!, on: on!, usersPolicy: values.users as 'disable' | 'move' },
        ctxOf(c),
        today(clock()),
      );
    } catch (e) {
      if (e instanceof DomainError) {
        const key = ['bad_date', 'future_date', 'before_last_event'].includes(e.code) ? 'on' : 'successor_id';
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
