/**
 * The bell in the admin header: the unread count of the signed-in user. The count is read lazily, only when a page
 * renders the header: the notices route (admin/routes/notices.tsx) puts `unreadNotices` on the request's user.
 */
import type { SessionUser } from '../auth/session.ts';

/** The session user as the notices middleware leaves it. */
export type BellUser = SessionUser & { unreadNotices?: () => number };

export function NoticeBell(props: { user: SessionUser }) {
  const count = (props.user as BellUser).unreadNotices?.() ?? 0;
  const shown = count >= 100 ? '99+' : String(count);
  return (
    <a
      href="/admin/thong-bao"
      class="notice-bell"
      aria-label={count > 0 ? `Thông báo: ${shown} chưa đọc` : 'Thông báo: không có thông báo chưa đọc'}
    >
      <span aria-hidden="true">🔔</span> Thông báo
      {count > 0 && (
        <span class="badge" aria-hidden="true">
          {shown}
        </span>
      )}
    </a>
  );
}
