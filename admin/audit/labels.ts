/**
 * The audit log in Vietnamese (issue 11): one map of action names, one of detail fields, and the reading of a
 * row's details as "field: before → after" lines. The raw JSON stays one click away on the page
 * (admin/views/audit-table.tsx); an action or field missing here shows its code, so nothing is ever hidden.
 */
import { EVENT_LABELS, type EventKind } from '../domain/status.ts';
import { ROLE_LABELS, type Role } from '../auth/permissions.ts';

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'access.denied': 'Bị từ chối truy cập',
  'csrf.refused': 'Từ chối biểu mẫu gửi từ nguồn lạ',
  'api.call': 'Gọi API',
  'auth.login': 'Đăng nhập',
  'auth.login_failed': 'Đăng nhập không thành công',
  'auth.login_throttled': 'Tạm khoá đăng nhập (sai nhiều lần)',
  'auth.logout': 'Đăng xuất',
  'account.password_changed': 'Đổi mật khẩu',
  'account.password_change_failed': 'Đổi mật khẩu không thành công',
  'account.sessions_ended': 'Đăng xuất khỏi các thiết bị khác',
  'account.notice_prefs': 'Đổi cách nhận thông báo',
  'calendar_feed.create': 'Bật lịch riêng (tạo địa chỉ lịch)',
  'calendar_feed.revoke': 'Tắt lịch riêng',
  'user.create': 'Tạo tài khoản',
  'user.update': 'Sửa tài khoản',
  'user.disable': 'Khoá tài khoản',
  'user.enable': 'Mở khoá tài khoản',
  'user.reset_password': 'Cấp mật khẩu tạm thời',
  'apiClient.create': 'Tạo kết nối API',
  'apiClient.disable': 'Khoá kết nối API',
  'apiClient.enable': 'Mở khoá kết nối API',
  'apiClient.token_issue': 'Cấp mã truy cập API',
  'apiClient.token_revoke': 'Thu hồi mã truy cập API',
  'agency.create': 'Thêm đơn vị',
  'agency.rename': 'Đổi tên đơn vị',
  'agency.merge': 'Sáp nhập đơn vị',
  'agency.split': 'Chia tách đơn vị',
  'agency.dissolve': 'Giải thể đơn vị',
  'province.merge': 'Hợp nhất tỉnh (nhập cơ sở dữ liệu tỉnh cũ)',
  'agency.update': 'Sửa đơn vị',
  'agency.head_approval': 'Đổi quy định thủ trưởng duyệt trước khi gửi',
  'reply.submit': 'Gửi ý kiến về số liệu công bố',
  'reply.approve': 'Đồng ý công khai ý kiến của đơn vị',
  'reply.decline': 'Không công khai ý kiến của đơn vị',
  'holiday.add': 'Thêm ngày nghỉ / ngày làm bù',
  'holiday.remove': 'Bỏ ngày nghỉ / ngày làm bù',
  'holiday.rule': 'Bật/tắt quy tắc lùi thời hạn sang ngày làm việc',
  'leader.create': 'Thêm lãnh đạo',
  'leader.update': 'Sửa lãnh đạo',
  'leader.activate': 'Dùng lại lãnh đạo',
  'leader.deactivate': 'Ngừng dùng lãnh đạo',
  'sector.create': 'Thêm lĩnh vực',
  'sector.update': 'Sửa lĩnh vực',
  'sector.activate': 'Dùng lại lĩnh vực',
  'sector.deactivate': 'Ngừng dùng lĩnh vực',
  'settings.update': 'Sửa cấu hình',
  'document.create': 'Nhập văn bản chỉ đạo',
  'task.create': 'Tạo nhiệm vụ',
  'task.edit': 'Sửa nhiệm vụ',
  'task.export': 'Xuất danh sách nhiệm vụ',
  'task.import': 'Nhập nhiệm vụ từ tệp Excel',
  'task.import_check': 'Kiểm tra tệp nhập nhiệm vụ',
  'task.import_failed': 'Nhập nhiệm vụ không thành công',
  'task.unit_delegated': 'Giao cho chuyên viên đơn vị',
  'task.unit_draft_saved': 'Lưu dự thảo báo cáo',
  'task.unit_submitted': 'Trình thủ trưởng đơn vị',
  'task.unit_approved': 'Thủ trưởng đơn vị duyệt',
  'task.unit_sent_back': 'Thủ trưởng đơn vị trả lại',
  'activity.export': 'Xuất mức độ cập nhật',
  'report.download': 'Tải báo cáo phiên họp',
  'publication.publish': 'Công bố số liệu kỳ',
  'publication.correct': 'Đính chính số liệu đã công bố',
  'site.build_start': 'Bắt đầu dựng trang công khai',
  'site.build_succeeded': 'Dựng trang công khai thành công',
  'site.build_failed': 'Dựng trang công khai không thành công',
  'site.build_refused': 'Từ chối dựng trang công khai',
  'site.rollback': 'Quay lại bản trang công khai trước',
};

/** The Vietnamese name of an audit action: the map, then task events by their timeline label, then the code. */
export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTION_LABELS[action];
  if (known) return known;
  if (action.startsWith('task.')) {
    const kind = action.slice(5) as EventKind;
    if (Object.hasOwn(EVENT_LABELS, kind)) return EVENT_LABELS[kind];
  }
  return action;
}

export const AUDIT_TARGET_LABELS: Record<string, string> = {
  reply: 'Ý kiến của đơn vị',
  task: 'Nhiệm vụ',
  document: 'Văn bản',
  user: 'Tài khoản',
  agency: 'Đơn vị',
  leader: 'Lãnh đạo',
  sector: 'Lĩnh vực',
  settings: 'Cấu hình',
  route: 'Đường dẫn',
  calendar_feed: 'Lịch riêng',
  api_client: 'Kết nối API',
  publication: 'Kỳ công bố',
  site_release: 'Bản trang công khai',
  activity: 'Mức độ cập nhật',
  import: 'Lần nhập dữ liệu',
  report: 'Báo cáo phiên họp',
};

export const ACTOR_KIND_LABELS: Record<string, string> = {
  user: '',
  anonymous: 'chưa đăng nhập',
  api: 'kết nối API',
  system: 'hệ thống',
};

export const AUDIT_FIELD_LABELS: Record<string, string> = {
  username: 'Tên đăng nhập',
  displayName: 'Họ và tên',
  email: 'Thư điện tử',
  role: 'Vai trò',
  agencyId: 'Đơn vị (mã số)',
  sessionsEnded: 'Số phiên đăng nhập đã kết thúc',
  permission: 'Quyền cần có',
  path: 'Đường dẫn',
  method: 'Phương thức',
  status: 'Mã trả lời',
  origin: 'Nguồn gửi',
  secFetchSite: 'Sec-Fetch-Site',
  apiClientId: 'Kết nối API (mã số)',
  tokenId: 'Mã truy cập',
  userId: 'Tài khoản (mã số)',
  replacedPrevious: 'Thay địa chỉ cũ',
  eventId: 'Sự kiện (mã số)',
  fileIds: 'Tệp đính kèm (mã số)',
  newDeadline: 'Thời hạn mới',
  toAgencyId: 'Chuyển cho đơn vị (mã số)',
  fromAgencyId: 'Từ đơn vị (mã số)',
  title: 'Tên nhiệm vụ',
  content: 'Nội dung',
  leaderId: 'Lãnh đạo giao (mã số)',
  sectorId: 'Lĩnh vực (mã số)',
  starred: 'Đánh dấu sao',
  confidential: 'Mật',
  noDeadlineReason: 'Lý do không thời hạn',
  coordinatorIds: 'Đơn vị phối hợp (mã số)',
  deadline: 'Thời hạn',
  reason: 'Lý do',
  note: 'Ghi chú',
  name: 'Tên',
  code: 'Mã',
  kind: 'Loại',
  number: 'Số văn bản',
  taskCount: 'Số nhiệm vụ',
  asPreviewed: 'Đúng bản xem trước (không tính lại)',
  tasks: 'Nhiệm vụ',
  imported: 'Số dòng đã nhập',
  rows: 'Số dòng',
  revision: 'Lần công bố',
  period: 'Kỳ',
  cutoff: 'Ngày chốt số liệu',
  changes: 'Thay đổi',
  logo: 'Biểu trưng',
  provinceName: 'Tên tỉnh',
  officeName: 'Tên cơ quan',
  address: 'Địa chỉ',
  phone: 'Điện thoại',
  website: 'Trang thông tin',
  rebuildCron: 'Lịch dựng lại trang công khai',
  logoFileId: 'Biểu trưng (mã tệp)',
  successorId: 'Đơn vị kế thừa (mã số)',
  stepId: 'Bước nội bộ (mã số)',
  submissionId: 'Bản trình (mã số)',
  subject: 'Nội dung trình',
  userIds: 'Chuyên viên (mã số)',
  internalDueOn: 'Hạn nội bộ',
  day: 'Ngày',
  source: 'Nguồn',
  knownSince: 'Ghi nhận từ',
  headApproval: 'Thủ trưởng duyệt trước khi gửi',
  effectiveOn: 'Ngày hiệu lực',
  // agency reorganisations (merger, dissolution, split)
  on: 'Ngày hiệu lực',
  usersPolicy: 'Xử lý tài khoản',
  usersTo: 'Đơn vị nhận tài khoản',
  successor: 'Đơn vị kế thừa',
  bySuccessor: 'Nhiệm vụ theo đơn vị tiếp nhận',
  tasksMoved: 'Số nhiệm vụ đã chuyển',
  coordinationsMoved: 'Số nhiệm vụ phối hợp đã chuyển',
  coordinationsDropped: 'Số nhiệm vụ phối hợp đã bỏ',
  usersMoved: 'Số tài khoản đã chuyển',
  usersDisabled: 'Số tài khoản đã khoá',
  apiClientsDisabled: 'Số kết nối API đã khoá',
  // agency names and past-dated reorganisations (issue 12)
  renamedOn: 'Tên mới có hiệu lực từ',
  establishedOn: 'Ngày thành lập',
  correction: 'Điều chỉnh số liệu đã qua',
};

export function auditFieldLabel(key: string): string {
  return AUDIT_FIELD_LABELS[key] ?? key;
}

/** One line of a row's details: a field, and either its value or its change. */
export interface DetailLine {
  label: string;
  value?: string;
  from?: string;
  to?: string;
}

function show(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '(trống)';
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (key === 'role' && typeof v === 'string' && Object.hasOwn(ROLE_LABELS, v)) return ROLE_LABELS[v as Role];
  if ((key === 'starred' || key === 'confidential') && (v === 0 || v === 1)) return v === 1 ? 'có' : 'không';
  if (Array.isArray(v)) return v.length === 0 ? '(trống)' : v.map((x) => show(key, x)).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A {from, to} pair (task edits) or a [from, to] pair (settings). */
function changeOf(v: unknown): { from: unknown; to: unknown } | null {
  if (isRecord(v) && 'from' in v && 'to' in v && Object.keys(v).length === 2) return { from: v.from, to: v.to };
  return null;
}

/**
 * The details as labelled lines: {before, after} objects become one change line per field that differs;
 * {field: {from, to}} and settings' {changes: {field: [from, to]}} become change lines; anything else a value line.
 */
export function describeAuditDetails(json: string): DetailLine[] {
  let d: unknown;
  try {
    d = JSON.parse(json);
  } catch {
    return [];
  }
  if (!isRecord(d)) return [];
  const lines: DetailLine[] = [];
  const { before, after, changes, ...rest } = d;
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
      lines.push({ label: auditFieldLabel(key), from: show(key, before[key]), to: show(key, after[key]) });
    }
  } else {
    if (before !== undefined) rest.before = before;
    if (after !== undefined) rest.after = after;
  }
  if (isRecord(changes)) {
    for (const [key, v] of Object.entries(changes)) {
      const pair = Array.isArray(v) && v.length === 2 ? { from: v[0], to: v[1] } : changeOf(v);
      if (pair) lines.push({ label: auditFieldLabel(key), from: show(key, pair.from), to: show(key, pair.to) });
      else lines.push({ label: auditFieldLabel(key), value: show(key, v) });
    }
  } else if (changes !== undefined) rest.changes = changes;
  for (const [key, v] of Object.entries(rest)) {
    const pair = changeOf(v);
    if (pair) lines.push({ label: auditFieldLabel(key), from: show(key, pair.from), to: show(key, pair.to) });
    else lines.push({ label: auditFieldLabel(key), value: show(key, v) });
  }
  return lines;
}
