/**
 * Integration clients of the API (trục liên thông), administrators only: create a client scoped like a role,
 * issue tokens (shown once), revoke a token, disable a client. Every change is audited in its transaction.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission, ROLE_LABELS } from '../auth/permissions.ts';
import {
  API_CLIENT_ROLES,
  createApiClient,
  issueApiToken,
  listApiClients,
  listApiTokens,
  revokeApiToken,
  type ApiClientRow,
  isTokenOfClient,
  setApiClientDisabled,
} from '../auth/api-tokens.ts';
import { listActiveAgencies } from '../auth/users.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Field, Flash, SelectField, Table } from '../views/components.tsx';
import { field, readForm } from './form-helpers.ts';

export function apiClientsRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const meta = (c: Context<AppEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '' });
  const load = (c: Context<AppEnv>): ApiClientRow => {
    const client = listApiClients(db).find((x) => x.id === Number(c.req.param('id')));
    if (!client) throw new DomainError('client_not_found', 'Không tìm thấy hệ thống kết nối.', 404);
    return client;
  };

  const ListPage = (p: { c: Context<AppEnv>; error?: string; values?: Record<string, string> }) => (
    <Layout title="Kết nối API (trục liên thông)" user={p.c.get('user')} current="api-clients">
      <Table
        caption="Hệ thống kết nối"
        head={['Tên', 'Phạm vi quyền', 'Đơn vị', 'Trạng thái', 'Tạo lúc']}
        rows={listApiClients(db).map((k) => [
          <a href={`/admin/api-clients/${k.id}`}>{k.name}</a>,
          ROLE_LABELS[k.role],
          k.agency_name ?? '',
          k.disabled ? 'Đã khoá' : 'Đang hoạt động',
          formatDateTimeVi(k.created_at),
        ])}
        empty="Chưa có hệ thống kết nối nào."
      />
      <h2>Thêm hệ thống kết nối</h2>
      {p.error && <Flash kind="error">{p.error}</Flash>}
      <form method="post" action="/admin/api-clients">
        <Field
          name="name"
          label="Tên hệ thống (ví dụ: Quản lý văn bản điều hành)"
          value={p.values?.name}
          required
          maxlength={100}
        />
        <SelectField
          name="role"
          label="Phạm vi quyền"
          value={p.values?.role}
          options={API_CLIENT_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        />
        <SelectField
          name="agency_id"
          label="Đơn vị (chỉ với phạm vi cán bộ đầu mối)"
          value={p.values?.agency_id}
          emptyLabel="— Không thuộc đơn vị —"
          options={listActiveAgencies(db).map((a) => ({ value: String(a.id), label: `${a.name} (${a.code})` }))}
        />
        <button type="submit">Thêm</button>
      </form>
    </Layout>
  );

  app.get('/api-clients', requirePermission('apiClient.manage'), (c) => c.html(<ListPage c={c} />));

  app.post('/api-clients', requirePermission('apiClient.manage'), async (c) => {
    const body = await readForm(c);
    const values = {
      name: field(body, 'name', 110),
      role: field(body, 'role', 20),
      agency_id: field(body, 'agency_id', 12),
    };
    const agencyId = values.agency_id === '' ? null : Number(values.agency_id);
    if (agencyId !== null && !listActiveAgencies(db).some((a) => a.id === agencyId)) {
      return c.html(<ListPage c={c} error="Đơn vị không hợp lệ." values={values} />, 422);
    }
    try {
      const id = db
        .transaction(() => {
          const newId = createApiClient(db, {
            name: values.name,
            role: values.role,
            agencyId,
            createdBy: c.get('user')!.id,
          });
          writeAudit(db, {
            at: clock(),
            actor: c.get('principal'),
            action: 'apiClient.create',
            targetType: 'api_client',
            targetId: newId,
            ...meta(c),
            details: { name: values.name, role: values.role, agencyId },
          });
          return newId;
        })
        .immediate();
      return c.redirect(`/admin/api-clients/${id}`, 303);
    } catch (e) {
      if (e instanceof DomainError) return c.html(<ListPage c={c} error={e.message} values={values} />, 422);
      throw e;
    }
  });

  const ClientPage = (p: { c: Context<AppEnv>; client: ApiClientRow; token?: string }) => (
    <Layout title={`Kết nối: ${p.client.name}`} user={p.c.get('user')} current="api-clients">
      {p.token && (
        <Flash kind="ok">
          Mã truy cập mới (chỉ hiển thị một lần): <span class="secret">{p.token}</span>
        </Flash>
      )}
      <p>
        Phạm vi quyền: {ROLE_LABELS[p.client.role]}
        {p.client.agency_name ? ` — ${p.client.agency_name}` : ''}. Trạng thái:{' '}
        {p.client.disabled ? 'Đã khoá' : 'Đang hoạt động'}. Gửi mã trong tiêu đề <code>Authorization: Bearer …</code>.
      </p>
      <Table
        caption="Mã truy cập"
        head={['Mã', 'Ghi chú', 'Tạo lúc', 'Dùng gần nhất', 'Trạng thái', '']}
        rows={listApiTokens(db, p.client.id).map((t) => [
          `tnv_${t.id}…`,
          t.label,
          formatDateTimeVi(t.created_at),
          t.last_used_at ? formatDateTimeVi(t.last_used_at) : 'Chưa dùng',
          t.revoked_at ? `Đã thu hồi ${formatDateTimeVi(t.revoked_at)}` : 'Hiệu lực',
          t.revoked_at ? (
            ''
          ) : (
            <form method="post" action={`/admin/api-clients/${p.client.id}/tokens/${t.id}/revoke`}>
              <button type="submit" class="danger">
                Thu hồi
              </button>
            </form>
          ),
        ])}
        empty="Chưa có mã truy cập."
      />
      <div class="actions">
        <form method="post" action={`/admin/api-clients/${p.client.id}/tokens`}>
          <Field name="label" label="Ghi chú cho mã mới" maxlength={100} />
          <button type="submit">Cấp mã truy cập mới</button>
        </form>
        <form method="post" action={`/admin/api-clients/${p.client.id}/${p.client.disabled ? 'enable' : 'disable'}`}>
          <button type="submit" class={p.client.disabled ? 'secondary' : 'danger'}>
            {p.client.disabled ? 'Mở khoá hệ thống kết nối' : 'Khoá hệ thống kết nối'}
          </button>
        </form>
      </div>
    </Layout>
  );

  app.get('/api-clients/:id{[0-9]+}', requirePermission('apiClient.manage'), (c) =>
    c.html(<ClientPage c={c} client={load(c)} />),
  );

  app.post('/api-clients/:id{[0-9]+}/tokens', requirePermission('apiClient.manage'), async (c) => {
    const client = load(c);
    const label = field(await readForm(c), 'label', 100);
    const { token } = db
      .transaction(() => {
        const issued = issueApiToken(db, client.id, clock(), { label });
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: 'apiClient.token_issue',
          targetType: 'api_client',
          targetId: client.id,
          ...meta(c),
          details: { tokenId: issued.id },
        });
        return issued;
      })
      .immediate();
    return c.html(<ClientPage c={c} client={client} token={token} />, 201);
  });

  app.post('/api-clients/:id{[0-9]+}/tokens/:tokenId{[a-z2-7]+}/revoke', requirePermission('apiClient.manage'), (c) => {
    const client = load(c);
    const tokenId = c.req.param('tokenId');
    db.transaction(() => {
      if (!isTokenOfClient(db, tokenId, client.id) || !revokeApiToken(db, tokenId, clock()))
        throw new DomainError('token_not_found', 'Không tìm thấy mã truy cập còn hiệu lực.', 404);
      writeAudit(db, {
        at: clock(),
        actor: c.get('principal'),
        action: 'apiClient.token_revoke',
        targetType: 'api_client',
        targetId: client.id,
        ...meta(c),
        details: { tokenId },
      });
    }).immediate();
    return c.redirect(`/admin/api-clients/${client.id}`, 303);
  });

  for (const [verb, disabled] of [
    ['disable', 1],
    ['enable', 0],
  ] as const) {
    app.post(`/api-clients/:id{[0-9]+}/${verb}`, requirePermission('apiClient.manage'), (c) => {
      const client = load(c);
      db.transaction(() => {
        setApiClientDisabled(db, client.id, disabled === 1);
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: `apiClient.${verb}`,
          targetType: 'api_client',
          targetId: client.id,
          ...meta(c),
        });
      }).immediate();
      return c.redirect(`/admin/api-clients/${client.id}`, 303);
    });
  }
  return app;
}
