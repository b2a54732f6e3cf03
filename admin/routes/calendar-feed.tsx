/**
 * The private calendar feed (issue 11):
 * - GET  /admin/lich               the user's page: turn the feed on, renew it, turn it off;
 * - POST /admin/lich/bat           creates a token (revoking any previous one) and shows its URL once;
 * - POST /admin/lich/tat           revokes it;
 * - GET  /admin/lich/<token>.ics   the feed itself, public by route (calendar apps send no cookie) but answering
 *                                  only a live token of an active user; anything else is the same 404.
 * The token is in the path, so it must never be logged: app.ts's error log passes paths through redactFeedToken.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context.ts';
import { publicRoute, requirePermission } from '../auth/permissions.ts';
import { createFeed, feedPath, liveFeed, principalForFeedToken, revokeFeed } from '../domain/calendar-feed-token.ts';
import { loadFeedEntries, renderFeed, FEED_HORIZON_DAYS } from '../domain/calendar-feed.ts';
import { formatDateTimeVi, today } from '../domain/dates.ts';
import { Layout } from '../views/layout.tsx';
import { Flash } from '../views/components.tsx';
import type { SessionUser } from '../auth/session.ts';

const MESSAGES: Record<string, string> = {
  off: 'Đã tắt lịch. Địa chỉ cũ không còn dùng được.',
  none: 'Lịch chưa được bật.',
};

function FeedPage(p: { user: SessionUser; createdAt: string | null; token?: string; origin: string; msg?: string }) {
  const https = p.token ? `${p.origin}${feedPath(p.token)}` : '';
  const webcal = https.replace(/^https?:/, 'webcal:');
  return (
    <Layout title="Lịch thời hạn nhiệm vụ" user={p.user} current="calendar">
      {p.msg && <Flash kind="ok">{p.msg}</Flash>}
      <p>
        Thêm thời hạn các nhiệm vụ bạn được xem vào ứng dụng lịch (điện thoại, Outlook, Thunderbird): mỗi nhiệm vụ là
        một sự kiện cả ngày vào ngày hết hạn (thời hạn đã gia hạn nếu có), kèm tình trạng. Lịch gồm các nhiệm vụ đang
        thực hiện và các nhiệm vụ hoàn thành trong {FEED_HORIZON_DAYS} ngày gần nhất; ứng dụng lịch tự cập nhật.
      </p>
      {p.token && (
        <section class="flash flash-ok" aria-labelledby="feed-url-heading">
          <h2 id="feed-url-heading">Địa chỉ lịch của bạn (chỉ hiển thị một lần)</h2>
          <p>Sao chép ngay; ai có địa chỉ này đều xem được lịch. Nếu lộ, hãy tạo địa chỉ mới hoặc tắt lịch.</p>
          <p>
            Mở bằng ứng dụng lịch: <a href={webcal}>{webcal}</a>
          </p>
          <p>
            Hoặc dán vào mục “Thêm lịch từ URL”: <span class="secret">{https}</span>
          </p>
        </section>
      )}
      {p.createdAt ? (
        <>
          <p>Lịch đang bật từ {formatDateTimeVi(p.createdAt)}.</p>
          <div class="actions">
            <form method="post" action="/admin/lich/bat">
              <button type="submit">Tạo địa chỉ mới (địa chỉ cũ hết hiệu lực)</button>
            </form>
            <form method="post" action="/admin/lich/tat">
              <button type="submit" class="danger">
                Tắt lịch
              </button>
            </form>
          </div>
        </>
      ) : (
        <form method="post" action="/admin/lich/bat">
          <p>Lịch đang tắt.</p>
          <button type="submit">Bật lịch riêng</button>
        </form>
      )}
    </Layout>
  );
}

export function calendarFeedRoutes(deps: AppDeps) {
  const { db, env, clock } = deps;
  const app = new Hono<AppEnv>();
  const meta = (c: Context<AppEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? '' });

  app.get('/lich', requirePermission('account.self'), (c) => {
    const user = c.get('user')!;
    const msg = MESSAGES[c.req.query('msg') ?? ''];
    return c.html(
      <FeedPage
        user={user}
        createdAt={liveFeed(db, user.id)?.createdAt ?? null}
        origin={env.origin}
        {...(msg ? { msg } : {})}
      />,
    );
  });

  app.post('/lich/bat', requirePermission('account.self'), (c) => {
    const user = c.get('user')!;
    const now = clock();
    const token = createFeed(db, c.get('principal')!, now, meta(c));
    // the token exists only in this answer: no redirect (a URL would carry it into history and logs)
    return c.html(<FeedPage user={user} createdAt={now.toISOString()} token={token} origin={env.origin} />, 201);
  });

  app.post('/lich/tat', requirePermission('account.self'), (c) => {
    const done = revokeFeed(db, c.get('principal')!, clock(), meta(c));
    return c.redirect(`/admin/lich?msg=${done ? 'off' : 'none'}`, 303);
  });

  app.get(
    '/lich/:file{[^/]+\\.ics}',
    publicRoute('calendar feed: the secret token in the path is the credential'),
    (c) => {
      const token = c.req.param('file').slice(0, -'.ics'.length);
      const found = principalForFeedToken(db, token);
      if (!found) throw new HTTPException(404, { message: 'Không tìm thấy lịch.' });
      const now = clock();
      const body = renderFeed(loadFeedEntries(db, found.principal, today(now)), {
        origin: env.origin,
        calendarName: `Thời hạn nhiệm vụ — ${found.displayName}`,
        now,
      });
      c.header('Content-Type', 'text/calendar; charset=utf-8');
      c.header('X-Robots-Tag', 'noindex');
      return c.body(body);
    },
  );

  return app;
}
