/**
 * Login and logout. Unknown account, wrong password and disabled account get the same answer (status, page and
 * — by hashing a dummy password when there is no account — similar timing). Throttled per account name and per
 * client address (admin/auth/throttle.ts). A new session token is issued at every login (no fixation).
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { publicRoute } from '../auth/permissions.ts';
import { createSession, invalidateSession } from '../auth/session.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/middleware.ts';
import { reserveAttempt, settleFailure, settleSuccess, throttleBuckets } from '../auth/throttle.ts';
import { findLoginAccount, recordLastLogin, upgradePasswordHash } from '../auth/credentials.ts';
import { writeAudit } from '../audit/audit.ts';
import { PASSWORD_MAX } from '../auth/password.ts';
import { Layout } from '../views/layout.tsx';
import { Field, Flash } from '../views/components.tsx';
import { field, flashFromQuery, readForm } from './form-helpers.ts';

const BAD_LOGIN = 'Tên đăng nhập hoặc mật khẩu không đúng.';
const THROTTLED = 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.';

/** Only same-site admin paths are followed after login (no open redirect). */
export function safeNext(next: string | undefined): string {
  if (!next || !/^\/admin(\/[A-Za-z0-9\-._~%/]*)?(\?[A-Za-z0-9\-._~%=&]*)?$/.test(next) || next.includes('//'))
    return '/admin';
  if (next.startsWith('/admin/login') || next.startsWith('/admin/logout')) return '/admin';
  return next;
}

function LoginPage(p: { error?: string; info?: string | null; username?: string; next?: string }) {
  return (
    <Layout title="Đăng nhập" user={null}>
      <div class="login">
        {p.info && <Flash kind="info">{p.info}</Flash>}
        {p.error && <Flash kind="error">{p.error}</Flash>}
        <form method="post" action="/admin/login">
          <input type="hidden" name="next" value={p.next ?? ''} />
          <Field
            name="username"
            label="Tên đăng nhập"
            value={p.username ?? ''}
            required
            autocomplete="username"
            maxlength={100}
          />
          <Field name="password" label="Mật khẩu" type="password" required autocomplete="current-password" />
          <button type="submit">Đăng nhập</button>
        </form>
        <p class="muted">Quên mật khẩu? Liên hệ quản trị viên hệ thống để được cấp lại.</p>
      </div>
    </Layout>
  );
}

export function authRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  let dummyHash: Promise<string> | null = null;
  const getDummy = () => (dummyHash ??= deps.passwords.hash(`không-có-tài-khoản-này-${Math.random()}`));

  app.get('/login', publicRoute('login form'), (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 302);
    return c.html(<LoginPage info={flashFromQuery(c)} next={safeNext(c.req.query('next'))} />);
  });

  app.post('/login', publicRoute('login'), async (c) => {
    const { db, clock } = deps;
    const body = await readForm(c);
    const username = field(body, 'username', 100);
    const password = field(body, 'password', PASSWORD_MAX * 4, false);
    const next = safeNext(field(body, 'next', 300));
    const ip = c.get('clientIp');
    const userAgent = c.req.header('user-agent') ?? '';
    const buckets = throttleBuckets(username, ip);

    // counted before the asynchronous password check, so parallel guesses cannot pass the limit (throttle.ts);
    // an attempt that never settles (an exception below) stays counted as a failure
    const reserved = reserveAttempt(db, buckets, clock());
    if (!reserved.ok) {
      writeAudit(db, {
        at: clock(),
        actor: null,
        actorName: username,
        action: 'auth.login_throttled',
        targetType: 'user',
        targetId: username,
        ip,
        userAgent,
      });
      return c.html(<LoginPage error={THROTTLED} username={username} next={next} />, 429);
    }
    const { reservation } = reserved;

    const user = username ? findLoginAccount(db, username) : undefined;
    let ok = false;
    if (user) ok = await deps.passwords.verify(user.password_hash, password);
    else await deps.passwords.verify(await getDummy(), password); // same work as a real check
    const now = clock();

    if (!user || !ok || user.disabled === 1) {
      db.transaction(() => {
        settleFailure(db, reservation, now);
        writeAudit(db, {
          at: now,
          actor: null,
          actorName: username,
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id ?? username,
          ip,
          userAgent,
          details: { reason: !user ? 'unknown_user' : !ok ? 'bad_password' : 'disabled' },
        });
      }).immediate();
      return c.html(<LoginPage error={BAD_LOGIN} username={username} next={next} />, 401);
    }

    // hashes made with other parameters (older settings, demo data) are upgraded while the password is at hand
    const upgraded = deps.passwords.needsRehash(user.password_hash) ? await deps.passwords.hash(password) : null;
    const old = c.get('session');
    const { token } = db
      .transaction(() => {
        if (upgraded) upgradePasswordHash(db, user.id, upgraded);
        if (old) invalidateSession(db, old.id);
        settleSuccess(db, reservation, now);
        const created = createSession(db, user.id, now, { ip, userAgent });
        recordLastLogin(db, user.id, now);
        writeAudit(db, {
          at: now,
          actor: { kind: 'user', id: user.id, name: user.username },
          action: 'auth.login',
          targetType: 'user',
          targetId: user.id,
          ip,
          userAgent,
        });
        return created;
      })
      .immediate();
    setSessionCookie(c, deps.env, token);
    return c.redirect(user.must_change_password === 1 ? '/admin/account/password' : next, 303);
  });

  app.post('/logout', publicRoute('logout (harmless without a session)'), (c) => {
    const session = c.get('session');
    const p = c.get('principal');
    if (session && p) {
      deps.db
        .transaction(() => {
          invalidateSession(deps.db, session.id);
          writeAudit(deps.db, {
            at: deps.clock(),
            actor: p,
            action: 'auth.logout',
            targetType: 'user',
            targetId: p.id,
            ip: c.get('clientIp'),
            userAgent: c.req.header('user-agent') ?? '',
          });
        })
        .immediate();
    }
    clearSessionCookie(c, deps.env);
    return c.redirect('/admin/login?msg=logged_out', 303);
  });

  return app;
}
