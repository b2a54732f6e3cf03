/**
 * Province settings (key/value rows of `settings`), edited on the settings page by administrators. Keys read
 * elsewhere, so never renamed: `province_name` and `office_name` (publication/snapshot.ts puts them in every
 * published snapshot), `site_rebuild_cron` (jobs/site-rebuild.ts, the scheduled site rebuild), `logo_file_id`.
 */
import { z } from 'zod';
import type { DB } from '../db/open.ts';
import { checkRebuildCron, REBUILD_CRON_SETTING } from '../jobs/site-rebuild.ts';

export const SETTING_KEYS = {
  provinceName: 'province_name',
  officeName: 'office_name',
  address: 'office_address',
  phone: 'office_phone',
  email: 'office_email',
  website: 'office_website',
  rebuildCron: REBUILD_CRON_SETTING,
  logoFileId: 'logo_file_id',
  // the working group is told of a report or extension request waiting longer than this (notices, issue 11)
  noticeWaitingDays: 'notice_waiting_days',
} as const;

export type SettingName = keyof typeof SETTING_KEYS;
export type Settings = Record<SettingName, string>;

const noControl = (s: string) => !/[\u0000-\u001f\u007f\u2028\u2029]/.test(s);
const line = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} tối đa ${max} ký tự.`)
    .refine(
      (s) => min === 0 || s.length >= min,
      min > 0 ? `Cần nhập ${label.toLowerCase()} (ít nhất ${min} ký tự).` : '',
    )
    .refine(noControl, `${label} có ký tự điều khiển không hợp lệ.`)
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' '));

/** The editable settings (the logo is handled apart: it is a file). Every message is Vietnamese. */
export const settingsSchema = z.object({
  provinceName: line('Tên cơ quan (UBND tỉnh)', 5, 200),
  officeName: line('Tên Văn phòng', 5, 200),
  address: line('Địa chỉ', 0, 300),
  phone: z
    .string()
    .trim()
    .max(40, 'Số điện thoại tối đa 40 ký tự.')
    .refine(
      (s) => s === '' || /^\+?[0-9][0-9 ().-]{5,38}$/.test(s),
      'Số điện thoại chỉ gồm chữ số, dấu cách và các dấu + ( ) . - (ví dụ 0237 3852 123).',
    ),
  email: z
    .string()
    .trim()
    .max(200, 'Thư điện tử tối đa 200 ký tự.')
    .refine((s) => s === '' || z.email().safeParse(s).success, 'Địa chỉ thư điện tử không hợp lệ.'),
  website: z
    .string()
    .trim()
    .max(300, 'Địa chỉ trang web tối đa 300 ký tự.')
    .refine((s) => {
      if (s === '') return true;
      try {
        const u = new URL(s);
        return (
          (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname.includes('.')
        );
      } catch {
        return false;
      }
    }, 'Địa chỉ trang web phải bắt đầu bằng https:// (ví dụ https://vpubnd.tinh.gov.vn).'),
  rebuildCron: z
    .string()
    .trim()
    .max(100, 'Lịch dựng lại tối đa 100 ký tự.')
    .transform((s) => s.replace(/\s+/g, ' '))
    .superRefine((s, ctx) => {
      const problem = checkRebuildCron(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  noticeWaitingDays: z
    .string()
    .trim()
    .refine(
      (s) => s === '' || (/^[0-9]{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 90),
      'Số ngày chờ phải là số nguyên từ 1 đến 90 (để trống: 5 ngày).',
    ),
});
export type SettingsInput = z.output<typeof settingsSchema>;

export function readSettings(db: DB): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const out = {} as Settings;
  for (const [name, key] of Object.entries(SETTING_KEYS) as Array<[SettingName, string]>)
    out[name] = byKey.get(key) ?? '';
  return out;
}

/**
 * Writes the changed settings (an empty value removes the row, so readers fall back to their defaults) and
 * returns the changes as {name: [before, after]}. Call inside the caller's transaction, with the audit row.
 */
export function writeSettings(db: DB, next: Partial<Settings>): Record<string, [string, string]> {
  const current = readSettings(db);
  const changes: Record<string, [string, string]> = {};
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare('DELETE FROM settings WHERE key = ?');
  for (const [name, value] of Object.entries(next) as Array<[SettingName, string]>) {
    if (value === current[name]) continue;
    changes[name] = [current[name], value];
    if (value === '') remove.run(SETTING_KEYS[name]);
    else upsert.run(SETTING_KEYS[name], value);
  }
  return changes;
}

// ---- notices (issue 11): the working group is told when a report or an extension request has waited longer ----

/** Key of the setting "waiting more than N days" (days, 1–90); absent = DEFAULT_NOTICE_WAITING_DAYS. */
export const NOTICE_WAITING_DAYS_SETTING = SETTING_KEYS.noticeWaitingDays;
export const DEFAULT_NOTICE_WAITING_DAYS = 5;
export const noticeWaitingDaysSchema = z
  .string()
  .trim()
  .refine(
    (s) => /^[0-9]{1,2}$/.test(s) && Number(s) >= 1 && Number(s) <= 90,
    'Số ngày chờ phải là số nguyên từ 1 đến 90.',
  );

export function noticeWaitingDays(db: DB): number {
  const v = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(NOTICE_WAITING_DAYS_SETTING);
  return typeof v === 'string' && noticeWaitingDaysSchema.safeParse(v).success
    ? Number(v)
    : DEFAULT_NOTICE_WAITING_DAYS;
}
