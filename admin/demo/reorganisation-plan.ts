/**
 * What the demo's 2025 reorganisation does (admin/demo/reorganised.ts carries it out through the product's own
 * agency, split and province-merger functions): the facts of 2025 (DESIGN.md §1, issue 12), on fictional units.
 *
 *   01/03/2025  departments merged (KH&ĐT → Tài chính, GTVT → Xây dựng, TN&MT + NN&PTNT → Nông nghiệp và Môi
 *               trường (a new unit), TT&TT → KH&CN), LĐ-TB&XH split (Nội vụ, with social work to Y tế and vocational
 *               training to GD&ĐT), central offices renamed as regional ones — in each former province
 *   01/07/2025  the two provinces become one (Nghị quyết 202/2025/QH15); the district level abolished: new communes
 *               established, old communes merged into them, each district split among them and the departments;
 *               Cục Thuế tỉnh → Thuế tỉnh, Cục THADS → Thi hành án dân sự tỉnh
 */
import type { IsoDate } from '../domain/dates.ts';
import type { DemoAgency, ProvinceIdentity } from './province.ts';

export const MARCH_DAY: IsoDate = '2025-03-01';
export const JULY_DAY: IsoDate = '2025-07-01';

/** The province that continues (its name is the merged province's) and the one joined into it. */
export const CONTINUING: ProvinceIdentity = { name: 'Lam Sơn', code: 'LS' };
export const JOINED: ProvinceIdentity = { name: 'Phú Lâm', code: 'PL' };
/** The joined province's own Chairman and Vice-Chairmen (kept as its leaders after the merger, inactive). */
export const JOINED_LEADERS: ReadonlyArray<{ name: string; title: string }> = [
  { name: 'Đặng Quốc Hưng', title: 'Chủ tịch UBND tỉnh' },
  { name: 'Võ Thị Thanh Tâm', title: 'Phó Chủ tịch Thường trực UBND tỉnh' },
  { name: 'Huỳnh Văn Lợi', title: 'Phó Chủ tịch UBND tỉnh' },
  { name: 'Ngô Minh Khoa', title: 'Phó Chủ tịch UBND tỉnh' },
  { name: 'Trương Thị Mai', title: 'Phó Chủ tịch UBND tỉnh' },
];
/** prefix of the joined province's task, agency and account codes after the merger (npm run merge-province --prefix) */
export const JOINED_PREFIX = 'PL';

/** The new department of 01/03/2025 (created through createAgency, established on the day). */
export const NEW_DEPARTMENT = { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường' } as const;

/** 01/03/2025 mergers: from → into (mergeAgency, dated in the past). */
export const MARCH_MERGERS: ReadonlyArray<readonly [string, string]> = [
  ['SKHDT', 'STC'],
  ['SGTVT', 'SXD'],
  ['SNNPTNT', NEW_DEPARTMENT.code],
  ['STNMT', NEW_DEPARTMENT.code],
  ['STTTT', 'SKHCN'],
];

/** 01/03/2025 split of Sở Lao động - Thương binh và Xã hội: by sector, the rest to Sở Nội vụ. */
export const MARCH_SPLIT = {
  code: 'SLDTBXH',
  bySector: [
    ['YT', 'SYT'],
    ['GD', 'SGDDT'],
  ] as ReadonlyArray<readonly [string, string]>,
  rest: 'SNV',
};

/** Renames, each with its day (renameAgency with a past day; names as of the date keep the old name before it). */
export const RENAMES: ReadonlyArray<{ code: string; on: IsoDate; name: (p: ProvinceIdentity) => string }> = [
  { code: 'BDT', on: MARCH_DAY, name: () => 'Sở Dân tộc và Tôn giáo' },
  { code: 'KBNN', on: MARCH_DAY, name: () => 'Kho bạc Nhà nước khu vực XIII' },
  { code: 'BHXH', on: MARCH_DAY, name: () => 'Bảo hiểm xã hội khu vực XXI' },
  { code: 'CHQ', on: MARCH_DAY, name: () => 'Chi cục Hải quan khu vực XV' },
  { code: 'CTK', on: MARCH_DAY, name: (p) => `Thống kê tỉnh ${p.name}` },
  { code: 'NHNN', on: MARCH_DAY, name: () => 'Ngân hàng Nhà nước khu vực 9' },
  { code: 'CQLTT', on: MARCH_DAY, name: () => 'Chi cục Quản lý thị trường tỉnh' },
  { code: 'CTHUE', on: JULY_DAY, name: (p) => `Thuế tỉnh ${p.name}` },
  { code: 'CTHADS', on: JULY_DAY, name: (p) => `Thi hành án dân sự tỉnh ${p.name}` },
];

/** The joined province's own districts and communes (its departments and offices are the usual ones). */
export const JOINED_DISTRICTS: Array<[string, string]> = [
  ['TPPL', 'UBND thành phố Phú Lâm'],
  ['TXVA', 'UBND thị xã Vĩnh An'],
  ['HTSN', 'UBND huyện Tây Sơn'],
  ['HPC', 'UBND huyện Phù Cát'],
  ['HHA', 'UBND huyện Hòa An'],
  ['HKT', 'UBND huyện Kim Thành'],
  ['HLG', 'UBND huyện Long Giang'],
  ['HVT', 'UBND huyện Vân Trà'],
  ['HDKS', 'UBND huyện Đắk Sơn'],
  ['HQS', 'UBND huyện Quảng Sơn'],
  ['HBTH', 'UBND huyện Bình Thạnh'],
  ['HNGS', 'UBND huyện Ngọc Sơn'],
];
export const JOINED_COMMUNES: Array<[string, string]> = [
  ['PNH', 'UBND phường Nguyễn Huệ'],
  ['PHV', 'UBND phường Hải Vân'],
  ['PDD', 'UBND phường Đống Đa'],
  ['PTH', 'UBND phường Thị Nại'],
  ['XCT', 'UBND xã Cát Tiến'],
  ['XPM', 'UBND xã Phước Mỹ'],
  ['XAH', 'UBND xã An Hòa'],
  ['XTL', 'UBND xã Tân Lộc'],
  ['XBH', 'UBND xã Bình Hòa'],
  ['XMC', 'UBND xã Mỹ Châu'],
];

/**
 * The new communes of 01/07/2025: two for each district, named after it ("UBND xã Phú Xuân", "UBND xã Phú Xuân
 * Bắc"; wards for a city or town). Codes XA-<district> and XA-<district>-2 (PH- for wards): units of the merged
 * province, so the joined province's districts give theirs unprefixed.
 */
export function newCommunes(districts: DemoAgency[]): Array<{ district: string; code: string; name: string }> {
  const out: Array<{ district: string; code: string; name: string }> = [];
  for (const d of districts) {
    const m = d.name.match(/^UBND (thành phố|thị xã|huyện) (.+)$/);
    if (!m) throw new Error(`not a district name: ${d.name}`);
    const ward = m[1] !== 'huyện';
    const [kind, tag, second] = ward ? ['phường', 'PH', 'Nam'] : ['xã', 'XA', 'Bắc'];
    out.push({ district: d.code, code: `${tag}-${d.code}`, name: `UBND ${kind} ${m[2]}` });
    out.push({ district: d.code, code: `${tag}-${d.code}-2`, name: `UBND ${kind} ${m[2]} ${second}` });
  }
  return out;
}

/**
 * Where an abolished district's open tasks go, by sector (issue 12: "its work going to the communes and to the
 * province's departments"): investment projects, construction and transport, budget and inspection to the
 * departments; everything else to one of the district's new communes.
 */
export const DISTRICT_SECTOR_SUCCESSORS: ReadonlyArray<readonly [string, string]> = [
  ['DTC', 'BQLDAXD'],
  ['XDGT', 'SXD'],
  ['TCNS', 'STC'],
  ['NC', 'TTT'],
];
