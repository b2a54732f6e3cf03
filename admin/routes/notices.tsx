/**
 * Notices (issue 11): the bell's count on every admin page (a middleware that puts a lazy count on the request's
 * user, read only when the header renders) and the list page /admin/thong-bao with "mark as read" posts.
 * Mounted first in routes/index.ts so its middleware runs before every page handler.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from '../context.ts';
import type { SessionUser } from '../auth/session.ts';
import { requirePermission } from '../auth/permissions.ts';
import { kindsForRole } from '../domain/notices.ts';
import {
  countUnread,
  listNotices,
  markAllNoticesRead,
  markNoticeRead,
  parseNoticeFilter,
  type Reader,
} from '../domain/notices-read.ts';
import { NoticeListPage } from '../views/notice-list.tsx';

const readerOf = (u: SessionUser): Reader => ({ id: u.id, username: u.username, role: u.role, agencyId: u.agencyId });

export function noticesRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { db } = deps;

  app.use('*', async (c, next) => {
    const user = c.get('user');
    if (user) {
      let memo: number | undefined;
      const unreadNotices = () => (memo ??= countUnread(db, readerOf(user)));
      c.set('user', Object.assign({}, user, { unreadNotices }));
    }
    await next();
  });

  app.get('/thong-bao', requirePermission('notice.read'), (c) => {
    const user = c.get('user')!;
    const filter = parseNoticeFilter(c.req.query());
    const { items, total, unread } = listNotices(db, readerOf(user), filter);
    const msg = c.req.query('msg');
    return c.html(
      <NoticeListPage
        user={user}
        filter={filter}
        kinds={kindsForRole(user.role)}
        items={items}
        total={total}
        unread={unread}
        msg={msg}
      />,
    );
  });

  app.post('/thong-bao/da-doc-tat-ca', requirePermission('notice.read'), (c) => {
    const user = c.get('user')!;
    db.transaction(() => markAllNoticesRead(db, readerOf(user), deps.clock())).immediate();
    return c.redirect('/admin/thong-bao?msg=all_read', 303);
  });

  app.post('/thong-bao/:id/da-doc', requirePermission('notice.read'), (c) => {
    const user = c.get('user')!;
    const raw = c.req.param('id');
    if (!/^[0-9]{1,15}$/.test(raw)) throw new HTTPException(400, { message: 'Mã thông báo không hợp lệ.' });
    const ok = db.transaction(() => markNoticeRead(db, readerOf(user), Number(raw), deps.clock())).immediate();
    if (!ok) throw new HTTPException(404, { message: 'Không tìm thấy thông báo.' });
    return c.redirect('/admin/thong-bao?msg=read', 303);
  });

  return app;
}
