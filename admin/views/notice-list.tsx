/**
 * The list page /admin/thong-bao: newest first, filters by kind and read state, mark one or all as read (form
 * posts: csrf() checks their origin as for every write), each notice linking to its task.
 */
import type { SessionUser } from '../auth/session.ts';
import { formatDateTimeVi } from '../domain/dates.ts';
import { NOTICE_KIND_LABELS, type NoticeKind } from '../domain/notices.ts';
import { NOTICE_PAGE_SIZE, type NoticeFilter, type NoticeListItem } from '../domain/notices-read.ts';
import { noticeDetail } from '../domain/notices-text.ts';
import { Flash, Pager, SelectField } from './components.tsx';
import { Layout } from './layout.tsx';

export const NOTICE_MESSAGES: Record<string, string> = {
  read: 'Đã đánh dấu thông báo là đã đọc.',
  all_read: 'Đã đánh dấu tất cả thông báo là đã đọc.',
};

export function NoticeListPage(p: {
  user: SessionUser;
  filter: NoticeFilter;
  kinds: NoticeKind[];
  items: NoticeListItem[];
  total: number;
  unread: number;
  msg?: string;
}) {
  const query: Record<string, string> = {};
  if (p.filter.kind) query.kind = p.filter.kind;
  if (p.filter.state) query.state = p.filter.state;
  return (
    <Layout title="Thông báo" user={p.user} current="notices">
      {p.msg && NOTICE_MESSAGES[p.msg] && <Flash kind="ok">{NOTICE_MESSAGES[p.msg]}</Flash>}
      <form method="get" action="/admin/thong-bao" class="filters">
        <SelectField
          name="kind"
          label="Loại thông báo"
          emptyLabel="Tất cả các loại"
          value={p.filter.kind ?? ''}
          options={p.kinds.map((k) => ({ value: k, label: NOTICE_KIND_LABELS[k] }))}
        />
        <SelectField
          name="state"
          label="Trạng thái"
          emptyLabel="Tất cả"
          value={p.filter.state ?? ''}
          options={[
            { value: 'unread', label: 'Chưa đọc' },
            { value: 'read', label: 'Đã đọc' },
          ]}
        />
        <button type="submit">Lọc</button>
      </form>
      <p>
        {p.unread === 0
          ? 'Không có thông báo chưa đọc.'
          : `Có ${p.unread >= 100 ? 'hơn 99' : p.unread} thông báo chưa đọc.`}
      </p>
      {p.unread > 0 && (
        <form method="post" action="/admin/thong-bao/da-doc-tat-ca">
          <button type="submit">Đánh dấu tất cả là đã đọc</button>
        </form>
      )}
      {p.items.length === 0 ? (
        <p class="empty">Không có thông báo nào.</p>
      ) : (
        <ul class="notice-list">
          {p.items.map((n) => {
            const detail = noticeDetail(n.kind, n.data);
            return (
              <li class={n.readAt === null ? 'notice unread' : 'notice'}>
                <p>
                  <strong>{NOTICE_KIND_LABELS[n.kind]}</strong>
                  {n.readAt === null && <span class="badge">Mới</span>}{' '}
                  <span class="muted">{formatDateTimeVi(n.createdAt)}</span>
                </p>
                <p>
                  <a href={`/admin/tasks/${encodeURIComponent(n.taskCode)}`}>{n.taskCode}</a> — {n.taskTitle}
                </p>
                {detail && <p>{detail}</p>}
                {n.readAt === null && (
                  <form method="post" action={`/admin/thong-bao/${n.id}/da-doc`} class="inline">
                    <button type="submit" class="link">
                      Đánh dấu đã đọc
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Pager
        page={p.filter.page}
        pageSize={NOTICE_PAGE_SIZE}
        total={p.total}
        baseUrl="/admin/thong-bao"
        query={query}
      />
    </Layout>
  );
}
