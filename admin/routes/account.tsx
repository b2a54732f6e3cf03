/**
 * The account page. Changing one's own password: current password required; every session of the user ends and
 * a new one starts. "Đăng xuất khỏi mọi thiết bị": every other session of the user ends, this one stays (audited;
 * a form post, so csrf() and the form-only rule in app.ts apply as to every write).
 */
import { Hono, type Context } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePermission } from '../auth/permissions.ts';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../auth/password.ts';
import { countOtherSessions, createSession, invalidateOtherSessions, invalidateUserSessions } from '../auth/session.ts';
import { passwordHashOf, setOwnPassword } from '../auth/credentials.ts';
import { setSessionCookie } from '../auth/middleware.ts';
import { writeAudit } from '../audit/audit.ts';
import { Layout } from '../views/layout.tsx';
import { ErrorSummary, Field, Flash } from '../views/components.tsx';
import { field, readForm } from './form-helpers.ts';
import type { SessionUser } from '../auth/session.ts';
import { kindsForRole } from '../domain/notices.ts';
import { isMailMode, mailPrefs, setMailPrefs, type MailMode } from '../domain/notices-read.ts';
import type { NoticeKind } from '../domain/notices.ts';
import { NoticePrefsSection } from '../views/notice-prefs.tsx';

/** The count of sessions just ended, from ?ended= (a number only: no user text is reflected). */
function endedFromQuery(value: string | undefined): number | null {
  return value !== undefined && /^[0-9]{1,6}$/.test(value) ? Number(value) : null;
}

function SessionsSection(p: { others: number }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Phiên đăng nhập</h2>
      <p>
        {p.others === 0
          ? 'Tài khoản chỉ đang đăng nhập trên thiết bị này.'
          : `Ngoài thiết bị này, tài khoản còn ${p.others} phiên đăng nhập khác.`}
      </p>
      <form method="post" action="/admin/account/sessions/end-others">
        <button type="submit">Đăng xuất khỏi mọi thiết bị</button>
      </form>
      <p class="hint">Mọi thiết bị khác phải đăng nhập lại; phiên trên thiết bị này vẫn giữ nguyên.</p>
    </section>
  );
}

function PasswordPage(p: {
  user: SessionUser;
  errors?: Record<string, string>;
  otherSessions: number;
  ended?: number | null;
  prefs: { modes: Record<NoticeKind, MailMode>; saved?: boolean; error?: string };
}) {
  const e = p.errors ?? {};
  return (
    <Layout title="Tài khoản" user={p.user} current="account">
      {p.ended != null && (
        <Flash kind="ok">
          {p.ended === 0
            ? 'Không có phiên đăng nhập nào khác cần kết thúc.'
            : `Đã đăng xuất ${p.ended} phiên đăng nhập trên các thiết bị khác.`}
        </Flash>
      )}
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
      <SessionsSection others={p.otherSessions} />
      <NoticePrefsSection kinds={kindsForRole(p.user.role)} {...p.prefs} />
    </Layout>
  );
}

export function accountRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const others = (c: Context<AppEnv>) => countOtherSessions(deps.db, c.get('user')!.id, c.get('session')!.id);
  const prefsOf = (c: Context<AppEnv>) => ({ modes: mailPrefs(deps.db, c.get('user')!.id) });

  app.get('/account/password', requirePermission('account.self'), (c) =>
    c.html(
      <PasswordPage
        user={c.get('user')!}
        otherSessions={others(c)}
        ended={endedFromQuery(c.req.query('ended'))}
        prefs={{ ...prefsOf(c), saved: c.req.query('notices') === 'saved' }}
      />,
    ),
  );

  app.post('/account/sessions/end-others', requirePermission('account.self'), (c) => {
    const { db, clock } = deps;
    const user = c.get('user')!;
    const session = c.get('session')!;
    const ended = db
      .transaction(() => {
        const n = invalidateOtherSessions(db, user.id, session.id);
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: 'account.sessions_ended',
          targetType: 'user',
          targetId: user.id,
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? '',
          details: { ended: n },
        });
        return n;
      })
      .immediate();
    return c.redirect(`/admin/account/password?ended=${ended}`, 303);
  });

  // mail preferences for notices (issue 11): every kind of the role must come with a known mode
  app.post('/account/notices', requirePermission('account.self'), async (c) => {
    const { db, clock } = deps;
    const user = c.get('user')!;
    const body = await readForm(c);
    const next: Partial<Record<NoticeKind, MailMode>> = {};
    for (const k of kindsForRole(user.role)) {
      const v = field(body, k, 20);
      if (!isMailMode(v)) {
        const error = 'Cần chọn cách nhận thư (gửi ngay, tóm tắt hằng ngày hoặc tắt) cho từng loại thông báo.';
        return c.html(<PasswordPage user={user} otherSessions={others(c)} prefs={{ ...prefsOf(c), error }} />, 422);
      }
      next[k] = v;
    }
    db.transaction(() => {
      const changed = setMailPrefs(db, user.id, next);
      if (changed.length > 0) {
        writeAudit(db, {
          at: clock(),
          actor: c.get('principal'),
          action: 'account.notice_prefs',
          targetType: 'user',
          targetId: user.id,
          ip: c.get('clientIp'),
          userAgent: c.req.header('user-agent') ?? '',
          details: Object.fromEntries(changed.map((k) => [k, next[k]])),
        });
      }
    }).immediate();
    return c.redirect('/admin/account/password?notices=saved', 303);
  });

  app.post('/account/password', requirePermission('account.self'), async (c) => {
    const { db, clock } = deps;
    const user = c.get('user')!;
    const body = await readForm(c);
    const current = field(body, 'current', PASSWORD_MAX * 4, false);
    const password = field(body, 'password', PASSWORD_MAX * 4, false);
    const confirm = field(body, 'confirm', PASSWORD_MAX * 4, false);
    const errors: Record<string, string> = {};
    const hash = passwordHashOf(db, user.id) ?? '';
    if (!(await deps.passwords.verify(hash, current))) errors.current = 'Mật khẩu hiện tại không đúng.';
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
      return c.html(<PasswordPage user={user} errors={errors} otherSessions={others(c)} prefs={prefsOf(c)} />, 422);
    }
    const newHash = await deps.passwords.hash(password); // hash before entering the transaction (CONVENTIONS habit 4)
    const now = clock();
    const { token } = db
      .transaction(() => {
        setOwnPassword(db, user.id, newHash, now);
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
