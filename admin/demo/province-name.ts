/**
 * A generated province's name as given on the command line (`npm run seed -- --province "Hà Sơn"`) or by the demo's
 * national roll-up, and what follows from it: the settings every snapshot carries ("Ủy ban nhân dân tỉnh Hà Sơn",
 * "Văn phòng UBND tỉnh Hà Sơn"), the short code of the units named after the province (TPHS, DLHS) and the code
 * the national roll-up derives from the published name (admin/rollup/validate.ts provinceCode: "ha-son").
 * A bad name is refused with a Vietnamese message before anything is written.
 */
import { bareProvinceName, provinceCode } from '../rollup/validate.ts';
import { stripVietnameseMarks } from '../domain/text.ts';

/** The longest name accepted (admin/demo/province.ts provinceIdentity holds the same bound). */
export const PROVINCE_NAME_MAX = 60;

export interface ProvinceNaming {
  /** the name without "Tỉnh", NFC, single spaces: "Hà Sơn" */
  name: string;
  /** upper-case initials for unit codes, at most 6: "HS" */
  shortCode: string;
  /** settings.province_name and settings.office_name */
  provinceName: string;
  officeName: string;
  /** the province's code in the national roll-up: "ha-son" */
  rollupCode: string;
}

export type ProvinceNameResult = { ok: true; naming: ProvinceNaming } | { ok: false; message: string };

// letters with their marks, digits, spaces and the joiners real names use (Bà Rịa – Vũng Tàu, Đắk Lắk)
const ALLOWED = /^[\p{L}\p{M}\p{Nd} .'’\-–]+$/u;

/** The units' short code: the initials of the words, marks stripped ("Bà Rịa – Vũng Tàu" → "BRVT"). */
function initials(name: string): string {
  return stripVietnameseMarks(name)
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^\d/.test(w) ? w : w[0]!))
    .join('')
    .slice(0, 6);
}

export function parseProvinceName(raw: string): ProvinceNameResult {
  // control characters (a newline, a tab, an escape) would end up in every page title and CSV cell
  if (/[\p{Cc}\p{Cf}]/u.test(raw))
    return { ok: false, message: 'Tên tỉnh không được chứa ký tự điều khiển (xuống dòng, tab, ký tự ẩn…).' };
  // "Tỉnh Hà Sơn" and "Ủy ban nhân dân tỉnh Hà Sơn" name the same province as "Hà Sơn", as the roll-up reads them
  // (a space is added so that a bare "Tỉnh" is a prefix with nothing after it, hence empty)
  const name = bareProvinceName(`${raw.normalize('NFC').trim().replace(/\s+/g, ' ')} `).trim();
  if (name === '') return { ok: false, message: 'Tên tỉnh không được để trống (ví dụ: --province "Hà Sơn").' };
  if ([...name].length > PROVINCE_NAME_MAX)
    return {
      ok: false,
      message: `Tên tỉnh dài tối đa ${PROVINCE_NAME_MAX} ký tự (nhận được ${[...name].length} ký tự).`,
    };
  if (!ALLOWED.test(name))
    return {
      ok: false,
      message: `Tên tỉnh chỉ gồm chữ cái, chữ số, dấu cách và dấu gạch nối (nhận được "${name}").`,
    };
  const shortCode = initials(name);
  const rollupCode = provinceCode(`Ủy ban nhân dân tỉnh ${name}`);
  if ([...name].length < 2 || shortCode === '' || rollupCode === '')
    return { ok: false, message: `Tên tỉnh phải có ít nhất hai chữ cái tiếng Việt (nhận được "${name}").` };
  return {
    ok: true,
    naming: {
      name,
      shortCode,
      provinceName: `Ủy ban nhân dân tỉnh ${name}`,
      officeName: `Văn phòng UBND tỉnh ${name}`,
      rollupCode,
    },
  };
}
