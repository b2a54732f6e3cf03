/**
 * The layout built as byte strings (layout.tsx layoutParts, page-shell.ts shellAround): what a person reads in the
 * header is escaped, the bell says its count, the menu holds only what the role may open, and the JSX Layout and
 * the byte-string pages put the same markup around their content.
 */
import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../auth/session.ts';
import { layoutParts, Layout } from './layout.tsx';
import { h } from './html.ts';
import { shellAround } from './page-shell.ts';

const user = (over: Partial<SessionUser> & { unreadNotices?: () => number } = {}): SessionUser => ({
  id: 1,
  username: 'u',
  displayName: 'Nguyễn Văn A',
  role: 'specialist',
  agencyId: null,
  agencyName: null,
  mustChangePassword: false,
  ...over,
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('layoutParts', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['Lê "Bình" & \'Cường\'', 'Lê &quot;Bình&quot; &amp; &#39;Cường&#39;'],
  ])('escapes the name %s in the header', (name, escaped) => {
    const page = text(shellAround({ title: 'Nhiệm vụ', user: user({ displayName: name }) }, h`<p>x</p>`));
    expect(page).toContain(`<span>${escaped} (Chuyên viên Văn phòng)</span>`);
    expect(page).not.toContain(name);
  });

  it('escapes the unit name and the title, and puts the body once inside main', () => {
    const u = user({ role: 'agency', agencyId: 3, agencyName: 'Sở <Tài chính>' });
    const page = text(shellAround({ title: 'A & B', user: u }, h`<p>thân trang</p>`));
    expect(page).toContain('(Cán bộ đầu mối đơn vị — Sở &lt;Tài chính&gt;)');
    expect(page).toContain('<title>A &amp; B — Theo dõi nhiệm vụ UBND tỉnh giao</title>');
    expect(page).toMatch(/<main id="main"><h1>A &amp; B<\/h1><p>thân trang<\/p><\/main><\/body><\/html>$/);
  });

  it.each([
    [0, 'Thông báo (không có thông báo chưa đọc)', null],
    [3, 'Thông báo 3 chưa đọc', '3'],
    [100, 'Thông báo 99+ chưa đọc', '99+'],
  ])('the bell with %i unread notices', (n, label, badge) => {
    const { head } = layoutParts({ title: 't', user: user({ unreadNotices: () => n }) });
    const html = head.toString();
    expect(html).toContain(`class="notice-bell" aria-label="${label}"`);
    if (badge === null) expect(html).not.toContain('class="badge"');
    else expect(html).toContain(`Thông báo <span class="badge" aria-hidden="true">${badge}</span></a>`);
  });

  it('shows only the menu entries of the role, the current one marked', () => {
    const officer = layoutParts({ title: 't', user: user({ role: 'officer', agencyId: 2 }), current: 'task-list' });
    const admin = layoutParts({ title: 't', user: user({ role: 'admin' }) }).head.toString();
    expect(officer.head.toString()).toContain('<a href="/admin/tasks" aria-current="page">Nhiệm vụ</a>');
    expect(officer.head.toString()).not.toContain('/admin/users');
    expect(admin).toContain('<a href="/admin/users">Tài khoản</a>');
  });

  it('a signed-out page has neither the header’s account part nor the menu; a refresh asks for its meta', () => {
    const html = layoutParts({ title: 'Đăng nhập', user: null, refreshSeconds: 5 }).head.toString();
    expect(html).not.toContain('class="who"');
    expect(html).not.toContain('main-nav');
    expect(html).toContain('<meta http-equiv="refresh" content="5"/>');
  });

  it('the JSX Layout puts the same markup around its children', async () => {
    const shell = { title: 'Tài khoản', user: user({ displayName: '<b>x</b>', unreadNotices: () => 2 }) };
    const jsx = String(await Layout({ ...shell, children: 'NỘI DUNG' }));
    expect(jsx).toBe(text(shellAround(shell, h`NỘI DUNG`)));
  });
});
