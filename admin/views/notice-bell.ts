/**
 * The bell in the admin header (layout.tsx): the unread count of the signed-in user. The count is read lazily, only
 * when a page renders the header: the notices route (admin/routes/notices.tsx) puts `unreadNotices` on the
 * request's user.
 */
import type { SessionUser } from '../auth/session.ts';
import { h, SafeHtml } from './html.ts';

/** The session user as the notices middleware leaves it. */
export type BellUser = SessionUser & { unreadNotices?: () => number };

// a drawn bell: an emoji depends on the fonts of the machine (headless Chromium showed a blank box)
const BELL_ICON = SafeHtml.fromBytes(
  '<svg class="bell-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d="M8 1.5a1 1 0 0 1 1 1v.6a4.5 4.5 0 0 1 3.5 4.4v2.8l1.3 1.6a.6.6 0 0 1-.5 1H2.7a.6.6 0 0 1-.5-1l1.3-1.6V7.5A4.5 4.5 0 0 1 7 3.1v-.6a1 1 0 0 1 1-1zM6.3 14h3.4a1.7 1.7 0 0 1-3.4 0z"></path></svg>',
);

export function noticeBell(user: SessionUser): SafeHtml {
  const count = (user as BellUser).unreadNotices?.() ?? 0;
  const shown = count >= 100 ? '99+' : String(count);
  // the name starts with the visible text ("Thông báo 3"), as WCAG 2.5.3 (label in name) asks
  const label = count > 0 ? `Thông báo ${shown} chưa đọc` : 'Thông báo (không có thông báo chưa đọc)';
  const badge = count > 0 ? h` <span class="badge" aria-hidden="true">${shown}</span>` : null;
  return h`<a href="/admin/thong-bao" class="notice-bell" aria-label="${label}">${BELL_ICON} Thông báo${badge}</a>`;
}
