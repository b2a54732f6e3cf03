/** Reading HTML form bodies safely: strings only (a repeated or file field is not a string), trimmed, bounded. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type FormBody = Record<string, string | File | (string | File)[]>;

export const MALFORMED_FORM =
  'Dữ liệu gửi lên bị hỏng hoặc không đúng định dạng biểu mẫu. Vui lòng tải lại trang và gửi lại.';

/**
 * The form body. A body the parser cannot read (multipart without its boundary or closing delimiter, a
 * truncated part …) is the client's fault: 400 with a Vietnamese message, before the handler writes anything
 * (DESIGN.md §7). Refusals raised on the way (HTTPException: size limit) keep their own status.
 */
export async function readForm(c: Context): Promise<FormBody> {
  try {
    return (await c.req.parseBody({ all: true })) as FormBody;
  } catch (e) {
    if (e instanceof HTTPException) throw e;
    throw new HTTPException(400, { message: MALFORMED_FORM, cause: e });
  }
}

/** The field as a string ('' when absent or not a single string), cut to `max` characters. */
export function field(body: FormBody, name: string, max = 500, trim = true): string {
  const v = body[name];
  if (typeof v !== 'string') return '';
  const s = trim ? v.trim() : v;
  return s.slice(0, max);
}

/** Fixed confirmation messages shown after a redirect (?msg=key); no user text is ever reflected. */
export const FLASH_MESSAGES: Record<string, string> = {
  password_changed: 'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất.',
  user_updated: 'Đã cập nhật tài khoản.',
  user_disabled: 'Đã khoá tài khoản và đăng xuất mọi phiên của tài khoản đó.',
  user_enabled: 'Đã mở khoá tài khoản.',
  logged_out: 'Bạn đã đăng xuất.',
  // task life (admin/routes/tasks.tsx ACTION_FLASH, documents.tsx)
  task_received: 'Đã xác nhận tiếp nhận nhiệm vụ.',
  task_progress: 'Đã ghi nhận báo cáo tiến độ.',
  task_reported: 'Đã gửi báo cáo kết quả; chờ Tổ công tác xác nhận.',
  task_extension_requested: 'Đã gửi đề nghị gia hạn; chờ Tổ công tác xem xét.',
  task_explained: 'Đã gửi giải trình.',
  task_urged: 'Đã ghi nhận việc đôn đốc.',
  task_corrected: 'Đã lưu điều chỉnh; nội dung thay đổi và lý do được ghi vào diễn biến.',
  task_reassigned: 'Đã chuyển đơn vị chủ trì.',
  task_cancelled: 'Đã thu hồi nhiệm vụ.',
  task_confirmed: 'Đã xác nhận hoàn thành.',
  task_returned: 'Đã trả lại báo cáo kết quả cho đơn vị.',
  task_extension_approved: 'Đã đồng ý gia hạn; thời hạn ban đầu vẫn được lưu.',
  task_extension_rejected: 'Đã không đồng ý gia hạn.',
  task_delegated: 'Đã giao nhiệm vụ cho chuyên viên.',
  task_draft_saved: 'Đã lưu dự thảo báo cáo kết quả; cán bộ đầu mối hoặc thủ trưởng đơn vị sẽ gửi Văn phòng.',
  task_unit_submitted: 'Đã trình thủ trưởng đơn vị duyệt; chưa gửi Văn phòng.',
  task_unit_approved: 'Đã duyệt và gửi Văn phòng UBND tỉnh.',
  task_unit_sent_back: 'Đã trả lại cho cán bộ đầu mối, kèm lý do.',
  document_created: 'Đã nhập văn bản và giao các nhiệm vụ.',
  agency_created: 'Đã thêm đơn vị.',
  agency_updated: 'Đã lưu thông tin đơn vị; tên cũ được ghi vào nhật ký hệ thống.',
  agency_merged:
    'Đã hợp nhất đơn vị: các nhiệm vụ đang thực hiện đã chuyển sang đơn vị kế thừa (chi tiết trong nhật ký hệ thống).',
  agency_dissolved: 'Đã giải thể đơn vị (chi tiết trong nhật ký hệ thống).',
  agency_split:
    'Đã chia tách đơn vị: các nhiệm vụ đang thực hiện đã chuyển sang các đơn vị tiếp nhận (chi tiết trong nhật ký hệ thống).',
  reply_submitted: 'Đã gửi ý kiến; Văn phòng sẽ xem xét trước khi công khai.',
  reply_approved: 'Đã đồng ý công khai ý kiến; ý kiến xuất hiện trên trang công khai từ lần dựng trang tiếp theo.',
  reply_declined: 'Đã không đồng ý công khai ý kiến; đơn vị xem được lý do.',
  catalog_saved: 'Đã lưu.',
  catalog_activated: 'Đã sử dụng lại.',
  catalog_deactivated: 'Đã ngừng sử dụng: không còn được chọn cho nhiệm vụ mới; nhiệm vụ cũ giữ nguyên.',
  publication_published: 'Đã công bố kỳ số liệu. Hãy dựng lại trang công khai để kỳ mới xuất hiện trên trang.',
  publication_corrected: 'Đã công bố bản đính chính; bản cũ vẫn được lưu. Hãy dựng lại trang công khai.',
  build_started: 'Đã bắt đầu dựng trang công khai.',
  site_rolled_back: 'Đã quay lại bản trang công khai trước đó.',
  settings_saved: 'Đã lưu cấu hình. Tên cơ quan mới xuất hiện trên trang công khai từ kỳ công bố tiếp theo.',
  import_done:
    'Đã nhập các nhiệm vụ trong tệp (chi tiết trong nhật ký hệ thống); các nhiệm vụ đã có trong danh sách nhiệm vụ.',
};

export function flashFromQuery(c: Context): string | null {
  const key = c.req.query('msg');
  return key && Object.hasOwn(FLASH_MESSAGES, key) ? FLASH_MESSAGES[key]! : null;
}

/**
 * Rendered-page caches (dashboard, task list) are on unless ADMIN_PAGE_CACHE=off: the benchmark turns them off to
 * show the pages are fast without them (issue 14: page caches may stay, nothing may depend on them).
 */
export function pageCacheOn(): boolean {
  return process.env.ADMIN_PAGE_CACHE !== 'off';
}
