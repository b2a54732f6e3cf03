/**
 * The admin page shell: reusable by every route file. Server-rendered, no inline script or style (the CSP forbids
 * both); stylesheets under /admin/static/, linked (an @import loads late, and axe turns it into an inline
 * style the CSP refuses). Navigation shows only what the user's role may open.
 */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { can, ROLE_LABELS, type Action } from '../auth/permissions.ts';
import type { SessionUser } from '../auth/session.ts';
import { noticeBell } from './notice-bell.ts';
import { h, SafeHtml } from './html.ts';

export interface NavItem {
  key: string;
  href: string;
  label: string;
  /** shown only to roles that may do this */
  action: Action;
}

/** Main navigation, in order. Add an entry here when a route file adds a page (issue 4: tasks, queues, agencies …). */
export const NAV_ITEMS: NavItem[] = [
  { key: 'dashboard', href: '/admin', label: 'Tổng quan', action: 'dashboard.view' },
  { key: 'overview', href: '/admin/overview', label: 'Tổng hợp theo kỳ', action: 'overview.view' },
  { key: 'task-list', href: '/admin/tasks', label: 'Nhiệm vụ', action: 'task.read' },
  { key: 'activity', href: '/admin/activity', label: 'Mức độ cập nhật', action: 'stats.read' },
  { key: 'inbox', href: '/admin/inbox', label: 'Việc cần làm', action: 'task.receive' },
  { key: 'documents', href: '/admin/documents', label: 'Văn bản', action: 'task.read' },
  { key: 'queue-reports', href: '/admin/queues/reports', label: 'Chờ xác nhận', action: 'report.confirm' },
  { key: 'queue-extensions', href: '/admin/queues/extensions', label: 'Gia hạn', action: 'extension.decide' },
  { key: 'explanations', href: '/admin/explanations', label: 'Giải trình', action: 'explanation.read' },
  { key: 'urging', href: '/admin/urging', label: 'Đôn đốc', action: 'urging.read' },
  { key: 'users', href: '/admin/users', label: 'Tài khoản', action: 'user.manage' },
  { key: 'agencies', href: '/admin/agencies', label: 'Đơn vị', action: 'agency.manage' },
  { key: 'province-merge', href: '/admin/province-merge', label: 'Hợp nhất tỉnh', action: 'agency.manage' },
  { key: 'catalog', href: '/admin/catalog', label: 'Lãnh đạo & lĩnh vực', action: 'catalog.manage' },
  { key: 'publish', href: '/admin/publish', label: 'Công bố', action: 'publication.manage' },
  { key: 'replies-office', href: '/admin/y-kien/xu-ly', label: 'Ý kiến đơn vị', action: 'reply.decide' },
  { key: 'reports', href: '/admin/reports', label: 'Báo cáo phiên họp', action: 'report.download' },
  { key: 'import', href: '/admin/import', label: 'Nhập dữ liệu', action: 'task.import' },
  { key: 'settings', href: '/admin/settings', label: 'Cấu hình', action: 'settings.manage' },
  { key: 'holidays', href: '/admin/holidays', label: 'Lịch ngày nghỉ', action: 'holiday.manage' },
  { key: 'api-clients', href: '/admin/api-clients', label: 'Kết nối API', action: 'apiClient.manage' },
  { key: 'audit', href: '/admin/audit', label: 'Nhật ký hệ thống', action: 'audit.read' },
  { key: 'replies', href: '/admin/y-kien', label: 'Ý kiến về số liệu', action: 'reply.submit' },
  { key: 'calendar', href: '/admin/lich', label: 'Lịch thời hạn', action: 'account.self' },
];

export interface LayoutProps {
  title: string;
  user: SessionUser | null;
  /** key of the current NavItem */
  current?: string;
  /** reloads the page every n seconds (build progress): a meta refresh, since the CSP forbids inline scripts */
  refreshSeconds?: number;
  children?: Child;
}

// the menu depends only on the role, whether the account has a unit, and the current page: made once for each
const navs = new Map<string, SafeHtml>();
function nav(user: SessionUser, current: string | undefined): SafeHtml {
  const key = `${user.role}|${user.agencyId !== null}|${current ?? ''}`;
  let html = navs.get(key);
  if (html === undefined) {
    const items = NAV_ITEMS.filter((n) => can(user, n.action)).map(
      (n) =>
        h`<li><a href="${n.href}"${current === n.key ? SafeHtml.fromBytes(' aria-current="page"') : null}>${n.label}</a></li>`,
    );
    navs.set(key, (html = h`<nav class="main-nav" aria-label="Điều hướng chính"><ul>${items}</ul></nav>`));
  }
  return html;
}

/** The layout without its content, props as Layout's. */
export type LayoutShell = Omit<LayoutProps, 'children'>;

/**
 * The layout's markup before the page's content and after it, as byte strings (html.ts `h`): the hot pages put
 * their own byte-string body between the two (page-shell.ts), and the JSX Layout its children.
 */
export function layoutParts(props: LayoutShell): { head: SafeHtml; tail: SafeHtml } {
  const { user } = props;
  const refresh =
    props.refreshSeconds === undefined
      ? null
      : h`<meta http-equiv="refresh" content="${String(props.refreshSeconds)}"/>`;
  const who =
    user &&
    h`<div class="who"><span>${user.displayName} (${ROLE_LABELS[user.role]}${user.agencyName ? ` — ${user.agencyName}` : ''})</span>${noticeBell(user)}<a href="/admin/account/password">Tài khoản</a><form method="post" action="/admin/logout" class="inline"><button type="submit" class="link">Đăng xuất</button></form></div>`;
  const head = h`<!doctype html><html lang="vi"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>${refresh}<title>${props.title} — Theo dõi nhiệm vụ UBND tỉnh giao</title><link rel="stylesheet" href="/admin/static/admin.css"/><link rel="stylesheet" href="/admin/static/admin-narrow.css"/><link rel="stylesheet" href="/admin/static/overview.css"/><link rel="icon" href="/admin/static/favicon.svg" type="image/svg+xml"/></head><body><a class="skip" href="#main">Bỏ qua điều hướng</a><header class="top"><div class="brand"><a href="/admin">Theo dõi nhiệm vụ UBND tỉnh giao</a></div>${who}</header>${user && nav(user, props.current)}<main id="main"><h1>${props.title}</h1>`;
  return { head, tail: TAIL };
}
const TAIL = h`</main></body></html>`;

/** The page shell for JSX pages: layoutParts around the children. */
export function Layout(props: LayoutProps) {
  const { head, tail } = layoutParts(props);
  return (
    <>
      {raw(head.toString())}
      {props.children}
      {raw(tail.toString())}
    </>
  );
}
