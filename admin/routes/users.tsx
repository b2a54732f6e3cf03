/**
 * Account administration (administrators only): list, create, edit role/agency/name, disable/enable, reset
 * password. New and reset passwords are random, shown once, and must be changed at the next login. A role or
 * agency change, disabling and a reset end every session of that account. Each change is audited in its transaction.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission, ROLE_LABELS, ROLES } from '../auth/permissions.ts';
import { generatePassword } from '../auth/password.ts';
import { invalidateUserSessions, type SessionUser } from '../auth/session.ts';
import {
  getUser,
  insertUser,
  listActiveAgencies,
  listUsers,
  validateUserInput,
  type UserRecord,
  setTemporaryPassword,
  setUserDisabled,
  updateUserProfile,
} from '../auth/users.ts';
import { writeAudit } from '../audit/audit.ts';
import { DomainError } from '../domain/rules.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash, SelectField, Table } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

type Values = Record<string, string>;

function UserForm(p: {
  db: AppDeps['db'];
  action: string;
  values: Values;
  errors: Record<string, string>;
  isNew: boolean;
}) {
  const agencies = listActiveAgencies(p.db);
  return (
    <form method="post" action={p.action}>
      <ErrorSummary errors={p.errors} />
      {p.isNew && (
        <Field
          name="username"
          label="Tên đăng nhập"
          value={p.values.username}
          error={p.errors.username}
          required
          maxlength={50}
          autocomplete="off"
        />
      )}
      <Field
        name="display_name"
        label="Họ và tên"
        value={p.values.display_name}
        error={p.errors.display_name}
        required
        maxlength={120}
      />
      <Field
        name="email"
        label="Thư điện tử (không bắt buộc)"
        type="email"
        value={p.values.email}
        error={p.errors.email}
        maxlength={200}
      />
      <SelectField
        name="role"
        label="Vai trò"
        value={p.values.role}
        error={p.errors.role}
        emptyLabel="— Chọn vai trò —"
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
      />
      <SelectField
        name="agency_id"
        label="Đơn vị (bắt buộc với cán bộ đầu mối, thủ trưởng và chuyên viên đơn vị)"
        value={p.values.agency_id}
        error={p.errors.agency_id}
        emptyLabel="— Không thuộc đơn vị —"
        options={agencies.map((a) => ({ value: String(a.id), label: `${a.name} (${a.code})` }))}
      />
      <button type="submit">{p.isNew ? 'Tạo tài khoản' : 'Lưu thay đổi'}</button>
    </form>
  );
}

function status(u: UserRecord): string {
  if (u.disabled) return 'Đã khoá';
  if (u.must_change_password) return 'Chờ đổi mật khẩu tạm';
  return 'Đang hoạt động';
}

function OneTimePassword(p: { user: SessionUser; target: UserRecord; password: string; title: string }) {
  return (
    <Layout title={p.title} user={p.user} current="users">
      <Flash kind="ok">
        Mật khẩu tạm thời của tài khoản <strong>{p.target.username}</strong>: <span class="secret">{p.password}</span>
      </Flash>
      <p>
        Mật khẩu chỉ hiển thị một lần. Hãy chuyển cho người dùng qua kênh an toàn; người dùng phải đổi mật khẩu ở lần
        đăng nhập đầu tiên.
      </p>
      <p>
        <a href="/admin/users">Về danh sách tài khoản</a>
      </p>
    </Layout>
  );
}

export function usersRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const app = new Hono<AppEnv>();
  const meta = (c: Context<AppEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '' });
  const load = (c: Context<AppEnv>): UserRecord => {
    const u = getUser(db, Number(c.req.param('id')));
    if (!u) throw new DomainError('user_not_found', 'Không tìm thấy tài khoản.', 404);
    return u;
  };

  app.get('/users', requirePermission('user.manage'), (c) => {
    const users = listUsers(db);
    const msg = flashFromQuery(c);
    return c.html(
      <Layout title="Tài khoản người dùng" user={c.get('user')} current="users">
        {msg && <Flash kind="ok">{msg}</Flash>}
        <p>
          <a class="button" href="/admin/users/new">
            Tạo tài khoản
          </a>
        </p>
        <Table
          caption={`${users.length} tài khoản`}
          head={['Tên đăng nhập', 'Họ và tên', 'Vai trò', 'Đơn vị', 'Trạng thái', 'Đăng nhập gần nhất']}
          rows={users.map((u) => [
            <a href={`/admin/users/${u.id}`}>{u.username}</a>,
            u.display_name,
            ROLE_LABELS[u.role],
            u.agency_name ?? '',
            status(u),
            u.last_login_at ? formatDateTimeVi(u.last_login_at) : 'Chưa đăng nhập',
          ])}
        />
      </Layout>,
    );
  });

  app.get('/users/new', requirePermission('user.manage'), (c) =>
    c.html(
      <Layout title="Tạo tài khoản" user={c.get('user')} current="users">
        <UserForm db={db} action="/admin/users" values={{}} errors={{}} isNew />
      </Layout>,
    ),
  );

  app.post('/users', requirePermission('user.manage'), async (c) => {
    const body = await readForm(c);
    const values: Values = {
      username: field(body, 'username', 60),
      display_name: field(body, 'display_name', 130),
      email: field(body, 'email', 210),
      role: field(body, 'role', 20),
      agency_id: field(body, 'agency_id', 12),
    };
    const { errors, value } = validateUserInput(db, {
      username: values.username!,
      displayName: values.display_name!,
      email: values.email!,
      role: values.role!,
      agencyId: values.agency_id!,
    });
    if (!value) {
      return c.html(
        <Layout title="Tạo tài khoản" user={c.get('user')} current="users">
          <UserForm db={db} action="/admin/users" values={values} errors={errors} isNew />
        </Layout>,
        422,
      );
    }
    const password = generatePassword();
    const hash = await deps.passwords.hash(password);
    const now = clock();
    const id = db
      .transaction(() => {
        const newId = insertUser(db, value, hash, true, now);
        writeAudit(db, {
          at: now,
          actor: c.get('principal'),
          action: 'user.create',
          targetType: 'user',
          targetId: newId,
          ...meta(c),
          details: { username: value.username, role: value.role, agencyId: value.agencyId },
        });
        return newId;
      })
      .immediate();
    return c.html(
      <OneTimePassword user={c.get('user')!} target={getUser(db, id)!} password={password} title="Đã tạo tài khoản" />,
      201,
    );
  });

  const EditPage = (p: { c: Context<AppEnv>; target: UserRecord; values: Values; errors: Record<string, string> }) => (
    <Layout title={`Tài khoản ${p.target.username}`} user={p.c.get('user')} current="users">
      {flashFromQuery(p.c) && <Flash kind="ok">{flashFromQuery(p.c)}</Flash>}
      <p>
        Trạng thái: <strong>{status(p.target)}</strong>. Tạo lúc {formatDateTimeVi(p.target.created_at)}.
        {p.target.password_changed_at
          ? ` Đổi mật khẩu lần cuối ${formatDateTimeVi(p.target.password_changed_at)}.`
          : ''}
      </p>
      <UserForm db={db} action={`/admin/users/${p.target.id}`} values={p.values} errors={p.errors} isNew={false} />
      <h2>Thao tác</h2>
      <div class="actions">
        {p.target.disabled ? (
          <form method="post" action={`/admin/users/${p.target.id}/enable`}>
            <button type="submit" class="secondary">
              Mở khoá tài khoản
            </button>
          </form>
        ) : (
          <form method="post" action={`/admin/users/${p.target.id}/disable`}>
            <button type="submit" class="danger">
              Khoá tài khoản
            </button>
          </form>
        )}
        <form method="post" action={`/admin/users/${p.target.id}/reset-password`}>
          <button type="submit" class="secondary">
            Cấp lại mật khẩu tạm thời
          </button>
        </form>
      </div>
    </Layout>
  );

  const valuesOf = (u: UserRecord): Values => ({
    display_name: u.display_name,
    email: u.email ?? '',
    role: u.role,
    agency_id: u.agency_id === null ? '' : String(u.agency_id),
  });

  app.get('/users/:id{[0-9]+}', requirePermission('user.manage'), (c) => {
    const target = load(c);
    return c.html(<EditPage c={c} target={target} values={valuesOf(target)} errors={{}} />);
  });

  app.post('/users/:id{[0-9]+}', requirePermission('user.manage'), async (c) => {
    const target = load(c);
    const body = await readForm(c);
    const values: Values = {
      display_name: field(body, 'display_name', 130),
      email: field(body, 'email', 210),
      role: field(body, 'role', 20),
      agency_id: field(body, 'agency_id', 12),
    };
    const { errors, value } = validateUserInput(
      db,
      {
        username: target.username,
        displayName: values.display_name!,
        email: values.email!,
        role: values.role!,
        agencyId: values.agency_id!,
      },
      target.id,
    );
    if (value && target.id === c.get('user')!.id && value.role !== target.role) {
      errors.role = 'Không thể tự thay đổi vai trò của chính mình (tránh khoá mất quyền quản trị).';
    }
    if (!value || Object.keys(errors).length > 0)
      return c.html(<EditPage c={c} target={target} values={values} errors={errors} />, 422);
    const scopeChanged = value.role !== target.role || value.agencyId !== target.agency_id;
    const now = clock();
    db.transaction(() => {
      updateUserProfile(db, target.id, value);
      const ended = scopeChanged ? invalidateUserSessions(db, target.id) : 0;
      writeAudit(db, {
        at: now,
        actor: c.get('principal'),
        action: 'user.update',
        targetType: 'user',
        targetId: target.id,
        ...meta(c),
        details: {
          before: {
            displayName: target.display_name,
            email: target.email,
            role: target.role,
            agencyId: target.agency_id,
          },
          after: { displayName: value.displayName, email: value.email, role: value.role, agencyId: value.agencyId },
          sessionsEnded: ended,
        },
      });
    }).immediate();
    return c.redirect(`/admin/users/${target.id}?msg=user_updated`, 303);
  });

  for (const [verb, disabled] of [
    ['disable', 1],
    ['enable', 0],
  ] as const) {
    app.post(`/users/:id{[0-9]+}/${verb}`, requirePermission('user.manage'), (c) => {
      const target = load(c);
      if (disabled && target.id === c.get('user')!.id) {
        throw new DomainError('self_disable', 'Không thể tự khoá tài khoản của chính mình.', 422);
      }
      const now = clock();
      db.transaction(() => {
        setUserDisabled(db, target.id, disabled === 1);
        const ended = disabled ? invalidateUserSessions(db, target.id) : 0;
        writeAudit(db, {
          at: now,
          actor: c.get('principal'),
          action: `user.${verb}`,
          targetType: 'user',
          targetId: target.id,
          ...meta(c),
          details: { sessionsEnded: ended },
        });
      }).immediate();
      return c.redirect(`/admin/users/${target.id}?msg=user_${verb}d`, 303);
    });
  }

  app.post('/users/:id{[0-9]+}/reset-password', requirePermission('user.manage'), async (c) => {
    const target = load(c);
    const password = generatePassword();
    const hash = await deps.passwords.hash(password);
    const now = clock();
    db.transaction(() => {
      setTemporaryPassword(db, target.id, hash, now);
      const ended = invalidateUserSessions(db, target.id);
      writeAudit(db, {
        at: now,
        actor: c.get('principal'),
        action: 'user.reset_password',
        targetType: 'user',
        targetId: target.id,
        ...meta(c),
        details: { sessionsEnded: ended },
      });
    }).immediate();
    return c.html(
      <OneTimePassword
        user={c.get('user')!}
        target={getUser(db, target.id)!}
        password={password}
        title="Đã cấp lại mật khẩu"
      />,
    );
  });

  return app;
}
