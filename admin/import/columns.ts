/**
 * The import file format: its columns (English keys, Vietnamese header names), the shapes passed between reading,
 * validation and writing, and the limits. Shared by read-file.ts, validate-rows.ts and write-tasks.ts.
 */
import type { IsoDate } from '../domain/dates.ts';
import { foldVietnamese } from '../domain/text.ts';

export type ImportFormat = 'csv' | 'xlsx' | 'json';

/** The columns, by English key, with the Vietnamese header names accepted for each (matched without diacritics). */
export const IMPORT_COLUMNS = {
  code: { vi: ['Mã nhiệm vụ'], required: false, max: 50 },
  title: { vi: ['Tên nhiệm vụ'], required: true, max: 1000 },
  content: { vi: ['Nội dung'], required: false, max: 10000 },
  documentNumber: { vi: ['Số văn bản', 'Số hiệu văn bản'], required: false, max: 100 },
  documentDate: { vi: ['Ngày văn bản', 'Ngày ban hành'], required: false, max: 20 },
  documentType: { vi: ['Loại văn bản'], required: false, max: 100 },
  signer: { vi: ['Người ký', 'Lãnh đạo ký'], required: false, max: 200 },
  leadAgency: { vi: ['Đơn vị chủ trì', 'Mã đơn vị chủ trì'], required: true, max: 50 },
  coordinatingAgencies: { vi: ['Đơn vị phối hợp', 'Mã đơn vị phối hợp'], required: false, max: 1000 },
  sector: { vi: ['Lĩnh vực'], required: false, max: 200 },
  assignedOn: { vi: ['Ngày giao'], required: true, max: 20 },
  deadline: { vi: ['Thời hạn', 'Hạn xử lý', 'Hạn hoàn thành'], required: false, max: 20 },
  noDeadlineReason: { vi: ['Lý do không thời hạn'], required: false, max: 1000 },
  extensionApprovedOn: { vi: ['Ngày duyệt gia hạn', 'Ngày gia hạn'], required: false, max: 20 },
  newDeadline: { vi: ['Thời hạn mới', 'Hạn sau gia hạn'], required: false, max: 20 },
  reportedOn: { vi: ['Ngày báo cáo kết quả', 'Ngày báo cáo'], required: false, max: 20 },
  confirmedOn: { vi: ['Ngày xác nhận hoàn thành', 'Ngày xác nhận'], required: false, max: 20 },
  cancelledOn: { vi: ['Ngày thu hồi'], required: false, max: 20 },
  cancelReason: { vi: ['Lý do thu hồi'], required: false, max: 1000 },
  public: { vi: ['Công khai'], required: false, max: 20 },
} as const;

export type ImportField = keyof typeof IMPORT_COLUMNS;
export const IMPORT_FIELDS = Object.keys(IMPORT_COLUMNS) as ImportField[];

export const DATE_FIELDS = new Set<ImportField>([
  'documentDate',
  'assignedOn',
  'deadline',
  'extensionApprovedOn',
  'newDeadline',
  'reportedOn',
  'confirmedOn',
  'cancelledOn',
]);

/** One data row as read from the file: its row number as the user sees it (header = row 1) and its cells as text. */
export interface ImportRow {
  row: number;
  values: Partial<Record<ImportField, string>>;
}

export interface ImportError {
  /** row number in the file as a spreadsheet shows it: the header is row 1, the first task row 2 */
  row: number;
  message: string;
}

export interface ParsedFile {
  rows: ImportRow[];
  errors: ImportError[];
}

/** Where the rows came from, recorded with the import and shown on every imported event (issue #9, provenance). */
export interface ImportSource {
  fileName: string;
  sha256: string;
}

export interface ImportOptions {
  /** validate only; write nothing */
  dryRun?: boolean;
  /** user recorded as the actor of created tasks and events, and as the importer */
  actorUserId?: number | null;
  /** "today" for the no-future-dates check (default: today in Asia/Ho_Chi_Minh) */
  today?: IsoDate;
  /** the file, recorded in `imports` and linked to every event written (without it: "tệp không rõ tên") */
  source?: ImportSource;
  /** when the import happens (default: now) */
  at?: Date;
}

export interface ImportResult {
  /** tasks written (0 on a dry run or when any row is bad) */
  imported: number;
  /** rows that passed validation */
  valid: number;
  /** documents created (or that would be created, on a dry run) */
  documentsCreated: number;
  dryRun: boolean;
  errors: ImportError[];
  /** the `imports` row written (null on a dry run or a refused file) */
  importId?: number | null;
}

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

const HEADER_INDEX: Map<string, ImportField> = (() => {
  const m = new Map<string, ImportField>();
  for (const f of IMPORT_FIELDS) {
    m.set(foldVietnamese(f), f);
    for (const vi of IMPORT_COLUMNS[f].vi) m.set(foldVietnamese(vi), f);
  }
  return m;
})();

export function fieldOfHeader(header: string): ImportField | undefined {
  return HEADER_INDEX.get(foldVietnamese(header.replace(/\s*\*\s*$/, '')));
}

export function columnLabel(f: ImportField): string {
  return `"${IMPORT_COLUMNS[f].vi[0]}" (${f})`;
}
