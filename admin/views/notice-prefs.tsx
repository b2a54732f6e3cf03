/**
 * The account page's "Thông báo qua thư" section: for each kind of notice the user can receive, at once, in the
 * daily digest (the default) or off. A plain form (radio groups, no script).
 */
import { NOTICE_KIND_LABELS, type NoticeKind } from '../domain/notices.ts';
import { MAIL_MODE_LABELS, MAIL_MODES, type MailMode } from '../domain/notices-read.ts';
import { Flash } from './components.tsx';

export function NoticePrefsSection(p: {
  kinds: NoticeKind[];
  modes: Record<NoticeKind, MailMode>;
  saved?: boolean;
  error?: string;
}) {
  return (
    <section aria-labelledby="notice-prefs-heading">
      <h2 id="notice-prefs-heading">Thông báo qua thư</h2>
      {p.saved && <Flash kind="ok">Đã lưu cách nhận thư thông báo.</Flash>}
      {p.error && <Flash kind="error">{p.error}</Flash>}
      {p.kinds.length === 0 ? (
        <p>Vai trò của bạn không nhận thông báo về nhiệm vụ.</p>
      ) : (
        <form method="post" action="/admin/account/notices">
          <p class="hint">
            Mọi thông báo luôn hiện ở mục Thông báo trên hệ thống; ở đây bạn chọn có nhận thư hay không và nhận lúc nào.
            Thư tóm tắt hằng ngày được gửi lúc 7 giờ sáng.
          </p>
          {p.kinds.map((k) => (
            <fieldset>
              <legend>{NOTICE_KIND_LABELS[k]}</legend>
              {MAIL_MODES.map((m) => (
                <label class="inline">
                  <input type="radio" name={k} value={m} checked={p.modes[k] === m} /> {MAIL_MODE_LABELS[m]}
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit">Lưu cách nhận thư</button>
        </form>
      )}
    </section>
  );
}
