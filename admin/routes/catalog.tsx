/**
 * Leaders and sectors (administrators: 'catalog.manage'): one page listing both, with create, edit and
 * deactivate/reactivate for each. Logic in admin/domain/catalog.ts.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import {
  getLeader,
  getSector,
  LEADER_TITLES,
  leaderSchema,
  listLeaders,
  listSectors,
  saveLeader,
  saveSector,
  sectorSchema,
  setLeaderActive,
  setSectorActive,
} from '../domain/catalog.ts';
import { zodFieldErrors, type ChangeContext } from '../domain/agencies.ts';
import { DomainError } from '../domain/rules.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

type Values = Record<string, string>;
type Errors = Record<string, string>;

export function catalogRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const ctxOf = (c: Context<AppEnv>): ChangeContext => ({
    actor: c.get('principal'),
    at: clock(),
    ip: c.get('clientIp'),
    userAgent: c.req.header('user-agent') ?? '',
  });
  const idOf = (c: Context<AppEnv>) => Number(c.req.param('id'));

  app.get('/catalog', requirePermission('catalog.manage'), (c) => {
    const leaders = listLeaders(db);
    const sectors = listSectors(db);
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title="Lãnh đạo và lĩnh vực" user={c.get('user')} current="catalog">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <h2>Lãnh đạo UBND tỉnh</h2>
        <p>
          <a class="button" href="/admin/catalog/leaders/new">
            Thêm lãnh đạo
          </a>
        </p>
        <Table
          caption={`${leaders.length} lãnh đạo`}
          head={['Họ và tên', 'Chức vụ', 'Trạng thái', 'Nhiệm vụ đã giao']}
          rows={leaders.map((l) => [
            <a href={`/admin/catalog/leaders/${l.id}`}>{l.name}</a>,
            l.title,
            l.active ? 'Đang sử dụng' : 'Ngừng sử dụng',
            String(l.tasks),
          ])}
        />
        <h2>Lĩnh vực</h2>
        <p>
          <a class="button" href="/admin/catalog/sectors/new">
            Thêm lĩnh vực
          </a>
        </p>
        <Table
          caption={`${sectors.length} lĩnh vực`}
          head={['Mã', 'Tên lĩnh vực', 'Trạng thái', 'Nhiệm vụ']}
          rows={sectors.map((s) => [
            s.code,
            <a href={`/admin/catalog/sectors/${s.id}`}>{s.name}</a>,
            s.active ? 'Đang sử dụng' : 'Ngừng sử dụng',
            String(s.tasks),
          ])}
        />
      </Layout>,
    );
  });

  // ---- leaders ----
  const LeaderPage = (p: {
    c: Context<AppEnv>;
    id: number | null;
    values: Values;
    errors: Errors;
    active?: number;
  }) => (
    <Layout title={p.id === null ? 'Thêm lãnh đạo' : 'Sửa thông tin lãnh đạo'} user={p.c.get('user')} current="catalog">
      {flashFromQuery(p.c) && <Flash kind="ok">{flashFromQuery(p.c)}</Flash>}
      <form method="post" action={p.id === null ? '/admin/catalog/leaders' : `/admin/catalog/leaders/${p.id}`}>
        <ErrorSummary errors={p.errors} />
        <Field name="name" label="Họ và tên" value={p.values.name} error={p.errors.name} required maxlength={120} />
        <div class={`field${p.errors.title ? ' has-error' : ''}`}>
          <label for="title">Chức vụ</label>
          <p class="hint">Chọn gợi ý hoặc nhập đúng chức vụ; chỉ một Chủ tịch đang sử dụng tại một thời điểm.</p>
          {p.errors.title && <p class="error-text">{p.errors.title}</p>}
          <input
            id="title"
            name="title"
            list="leader-titles"
            value={p.values.title}
            required
            maxlength={120}
            aria-invalid={p.errors.title ? 'true' : undefined}
          />
          <datalist id="leader-titles">
            {LEADER_TITLES.map((t) => (
              <option value={t} />
            ))}
          </datalist>
        </div>
        <button type="submit">{p.id === null ? 'Thêm' : 'Lưu'}</button>
      </form>
      {p.id !== null && (
        <form method="post" action={`/admin/catalog/leaders/${p.id}/${p.active ? 'deactivate' : 'activate'}`}>
          <button type="submit" class="secondary">
            {p.active ? 'Ngừng sử dụng (không chọn được cho nhiệm vụ mới)' : 'Sử dụng lại'}
          </button>
        </form>
      )}
      <p>
        <a href="/admin/catalog">Về danh sách</a>
      </p>
    </Layout>
  );

  app.get('/catalog/leaders/new', requirePermission('catalog.manage'), (c) =>
    c.html(<LeaderPage c={c} id={null} values={{}} errors={{}} />),
  );
  app.get('/catalog/leaders/:id{[0-9]+}', requirePermission('catalog.manage'), (c) => {
    const l = getLeader(db, idOf(c));
    if (!l) throw new DomainError('leader_not_found', 'Không tìm thấy lãnh đạo.', 404);
    return c.html(
      <LeaderPage c={c} id={l.id} values={{ name: l.name, title: l.title }} errors={{}} active={l.active} />,
    );
  });
  const postLeader = async (c: Context<AppEnv>, id: number | null) => {
    const existing = id === null ? null : getLeader(db, id);
    if (id !== null && !existing) throw new DomainError('leader_not_found', 'Không tìm thấy lãnh đạo.', 404);
    const body = await readForm(c);
    const values: Values = { name: field(body, 'name', 300), title: field(body, 'title', 300) };
    const parsed = leaderSchema.safeParse(values);
    const page = (errors: Errors) =>
      c.html(<LeaderPage c={c} id={id} values={values} errors={errors} active={existing?.active} />, 422);
    if (!parsed.success) return page(zodFieldErrors(parsed.error));
    let saved: number;
    try {
      saved = saveLeader(db, id, parsed.data, ctxOf(c));
    } catch (e) {
      if (e instanceof DomainError && e.status === 422) return page({ title: e.message });
      throw e;
    }
    return c.redirect(`/admin/catalog/leaders/${saved}?msg=catalog_saved`, 303);
  };
  app.post('/catalog/leaders', requirePermission('catalog.manage'), (c) => postLeader(c, null));
  app.post('/catalog/leaders/:id{[0-9]+}', requirePermission('catalog.manage'), (c) => postLeader(c, idOf(c)));
  for (const verb of ['activate', 'deactivate'] as const) {
    app.post(`/catalog/leaders/:id{[0-9]+}/${verb}`, requirePermission('catalog.manage'), (c) => {
      const id = idOf(c);
      try {
        setLeaderActive(db, id, verb === 'activate', ctxOf(c));
      } catch (e) {
        if (e instanceof DomainError && e.status === 422) {
          const l = getLeader(db, id)!;
          return c.html(
            <LeaderPage
              c={c}
              id={id}
              values={{ name: l.name, title: l.title }}
              errors={{ title: e.message }}
              active={l.active}
            />,
            422,
          );
        }
        throw e;
      }
      return c.redirect(`/admin/catalog/leaders/${id}?msg=catalog_${verb}d`, 303);
    });
  }

  // ---- sectors ----
  const SectorPage = (p: {
    c: Context<AppEnv>;
    id: number | null;
    values: Values;
    errors: Errors;
    active?: number;
  }) => (
    <Layout title={p.id === null ? 'Thêm lĩnh vực' : 'Sửa lĩnh vực'} user={p.c.get('user')} current="catalog">
      {flashFromQuery(p.c) && <Flash kind="ok">{flashFromQuery(p.c)}</Flash>}
      <form method="post" action={p.id === null ? '/admin/catalog/sectors' : `/admin/catalog/sectors/${p.id}`}>
        <ErrorSummary errors={p.errors} />
        <Field
          name="code"
          label="Mã lĩnh vực"
          value={p.values.code}
          error={p.errors.code}
          required
          maxlength={20}
          autocomplete="off"
        />
        <Field name="name" label="Tên lĩnh vực" value={p.values.name} error={p.errors.name} required maxlength={200} />
        <button type="submit">{p.id === null ? 'Thêm' : 'Lưu'}</button>
      </form>
      {p.id !== null && (
        <form method="post" action={`/admin/catalog/sectors/${p.id}/${p.active ? 'deactivate' : 'activate'}`}>
          <button type="submit" class="secondary">
            {p.active ? 'Ngừng sử dụng (không chọn được cho nhiệm vụ mới)' : 'Sử dụng lại'}
          </button>
        </form>
      )}
      <p>
        <a href="/admin/catalog">Về danh sách</a>
      </p>
    </Layout>
  );

  app.get('/catalog/sectors/new', requirePermission('catalog.manage'), (c) =>
    c.html(<SectorPage c={c} id={null} values={{}} errors={{}} />),
  );
  app.get('/catalog/sectors/:id{[0-9]+}', requirePermission('catalog.manage'), (c) => {
    const s = getSector(db, idOf(c));
    if (!s) throw new DomainError('sector_not_found', 'Không tìm thấy lĩnh vực.', 404);
    return c.html(<SectorPage c={c} id={s.id} values={{ code: s.code, name: s.name }} errors={{}} active={s.active} />);
  });
  const postSector = async (c: Context<AppEnv>, id: number | null) => {
    const existing = id === null ? null : getSector(db, id);
    if (id !== null && !existing) throw new DomainError('sector_not_found', 'Không tìm thấy lĩnh vực.', 404);
    const body = await readForm(c);
    const values: Values = { code: field(body, 'code', 60), name: field(body, 'name', 400) };
    const parsed = sectorSchema.safeParse(values);
    const page = (errors: Errors) =>
      c.html(<SectorPage c={c} id={id} values={values} errors={errors} active={existing?.active} />, 422);
    if (!parsed.success) return page(zodFieldErrors(parsed.error));
    let saved: number;
    try {
      saved = saveSector(db, id, parsed.data, ctxOf(c));
    } catch (e) {
      if (e instanceof DomainError && e.status === 422) return page({ code: e.message });
      throw e;
    }
    return c.redirect(`/admin/catalog/sectors/${saved}?msg=catalog_saved`, 303);
  };
  app.post('/catalog/sectors', requirePermission('catalog.manage'), (c) => postSector(c, null));
  app.post('/catalog/sectors/:id{[0-9]+}', requirePermission('catalog.manage'), (c) => postSector(c, idOf(c)));
  for (const verb of ['activate', 'deactivate'] as const) {
    app.post(`/catalog/sectors/:id{[0-9]+}/${verb}`, requirePermission('catalog.manage'), (c) => {
      const id = idOf(c);
      setSectorActive(db, id, verb === 'activate', ctxOf(c));
      return c.redirect(`/admin/catalog/sectors/${id}?msg=catalog_${verb}d`, 303);
    });
  }

  return app;
}
