/** Changing one's own password: current password required; every session of the user ends and a new one starts. */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.ts';
import { createSession, invalidateUserSessions } from '../auth/session.ts';
import { setSessionCookie } from '../auth/middleware.ts';
import { writeAudit } from '../audit/audit.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash } from '../views/components.tsx';
import { field, readForm } from './form-helpers.ts';
import type { SessionUser } from '../auth/session.ts';

function PasswordPage(p: { user: SessionUser; errors?: Record<string, string> }) {
  const e = p.errors ?? {};
  return (
    <Layout title="Đổi mật khẩu" user={p.user} current="account">
      {p.user.mustChangePassword && (
        <Flash kind="info">
          Mật khẩu của bạn là mật khẩu tạm thời do quản trị viên cấp; hãy đặt mật khẩu mới để tiếp tục.
        </Flash>
      )}
      <ErrorSummary errors={e} />
      <form method="post" action="/admin/account/password" class="login">
        <Field
          name="current"
          label="Mật khẩu hiện tại"
          type="password"
          required
          autocomplete="current-password"
          error={e.current}
        />
        <Field
          name="password"
          label="Mật khẩu mới"
          type="password"
          required
          autocomplete="new-password"
          error={e.password}
          hint={`Từ ${PASSWORD_MIN} đến ${PASSWORD_MAX} ký tự, không bắt buộc chữ hoa hay ký tự đặc biệt; nên dùng một câu dài dễ nhớ. Mật khẩu quá phổ biến sẽ bị từ chối.`}
        />
        <Field
          name="confirm"
          label="Nhập lại mật khẩu mới"
          type="password"
          required
          autocomplete="new-password"
          error={e.confirm}
        />
        <button type="submit">Đổi mật khẩu</button>
      </form>
    </Layout>
  );
}

export function accountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/account/password', requirePermission('account.self'), (c) =>
    c.html(<PasswordPage user={c.get('user')!} />),
  );

  app.post('/account/password', requirePermission('account.self'), async (c) => {
    const { db, clock } = deps;
    const user = c.get('user')!;
    const body = await readForm(c);
    const current = field(body, 'current', PASSWORD_MAX * 4, false);
    const password = field(body, 'password', PASSWORD_MAX * 4, false);
    const confirm = field(body, 'confirm', PASSWORD_MAX * 4, false);
    const errors: Record<string, string> = {};
    const row = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(user.id) as { password_hash: string };
    if (!(await deps.passwords.verify(row.password_hash, current))) errors.current = 'Mật khẩu hiện tại không đúng.';
    const problem = passwordProblem(password, { username: user.username });
    if (problem) errors.password = problem;
    else if (password === current) errors.password = 'Mật khẩu mới phải khác mật khẩu hiện tại.';
    if (password !== confirm) errors.confirm = 'Hai lần nhập mật khẩu mới không khớp.';
    const ip = c.get('clientIp');
    const userAgent = c.req.header('user-agent') ?? '';
    if (Object.keys(errors).length > 0) {
      if (errors.current) {
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: 'account.password_change_failed',
          targetType: 'user',
          targetId: user.id,
          ip,
          userAgent,
        });
      }
      return c.html(<PasswordPage user={user} errors={errors} />, 422);
    }
    const hash = await deps.passwords.hash(password); // hash before entering the transaction (CONVENTIONS habit 4)
    const now = clock();
    const { token } = db
      .transaction(() => {
        db.prepare(
          'UPDATE users SET password_hash = ?, must_change_password = 0, password_changed_at = ? WHERE id = ?',
        ).run(hash, now.toISOString(), user.id);
        invalidateUserSessions(db, user.id);
        const created = createSession(db, user.id, now, { ip, userAgent });
        writeAudit(db, {
          at: now,
          actor: c.get('principal'),
          action: 'account.password_changed',
          targetType: 'user',
          targetId: user.id,
          ip,
          userAgent,
        });
        return created;
      })
      .immediate();
    setSessionCookie(c, deps.env, token);
    return c.redirect('/admin?msg=password_changed', 303);
  });
  return app;
}
