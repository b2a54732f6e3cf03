/**
 * The demo province: a fictional "tỉnh Lam Sơn" with the kinds of units a real provincial People's Committee
 * assigns tasks to (DESIGN.md §1). Names follow the official naming of Vietnamese provincial bodies.
 */
export interface ProvinceIdentity {
  /** the province's own name without "Tỉnh": "Lam Sơn" */
  name: string;
  /** a short upper-case code used in the codes of units named after the province: TPLS, DLLS */
  code: string;
}

export const DEFAULT_PROVINCE: ProvinceIdentity = { name: 'Lam Sơn', code: 'LS' };
export const PROVINCE_NAME = `Tỉnh ${DEFAULT_PROVINCE.name}`;

/** Checks and normalises a province identity (a leading "Tỉnh" is dropped); throws RangeError on a bad one. */
export function provinceIdentity(p: ProvinceIdentity = DEFAULT_PROVINCE): ProvinceIdentity {
  const name = p.name
    .normalize('NFC')
    .trim()
    .replace(/^tỉnh\s+/i, '')
    .replace(/\s+/g, ' ');
  if (name.length < 2 || name.length > 60) throw new RangeError('province name must be 2–60 characters');
  if (!/^[A-Z0-9]{1,6}$/.test(p.code)) throw new RangeError('province code must be 1–6 upper-case letters or digits');
  return { name, code: p.code };
}

export type AgencyKind = 'department' | 'district' | 'commune' | 'central' | 'other';

export interface DemoAgency {
  code: string;
  name: string;
  kind: AgencyKind;
  /** relative share of the tasks it leads */
  weight: number;
}

const departments: Array<[string, string, number]> = [
  ['STC', 'Sở Tài chính', 6],
  ['SKHDT', 'Sở Kế hoạch và Đầu tư', 6],
  ['SNV', 'Sở Nội vụ', 4],
  ['STP', 'Sở Tư pháp', 3],
  ['SCT', 'Sở Công Thương', 4],
  ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn', 5],
  ['STNMT', 'Sở Tài nguyên và Môi trường', 6],
  ['SXD', 'Sở Xây dựng', 5],
  ['SGTVT', 'Sở Giao thông vận tải', 5],
  ['SGDDT', 'Sở Giáo dục và Đào tạo', 3],
  ['SYT', 'Sở Y tế', 4],
  ['SLDTBXH', 'Sở Lao động - Thương binh và Xã hội', 3],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch', 3],
  ['SKHCN', 'Sở Khoa học và Công nghệ', 2],
  ['STTTT', 'Sở Thông tin và Truyền thông', 3],
  ['TTT', 'Thanh tra tỉnh', 3],
  ['VPUBND', 'Văn phòng UBND tỉnh', 2],
  ['BDT', 'Ban Dân tộc tỉnh', 1.5],
  ['BQLKKT', 'Ban Quản lý Khu kinh tế tỉnh', 2.5],
  ['BQLDAXD', 'Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh', 2.5],
];

const districts = (p: ProvinceIdentity): Array<[string, string]> => [
  [`TP${p.code}`, `UBND thành phố ${p.name}`],
  ['TXBA', 'UBND thị xã Bình An'],
  ['TXCL', 'UBND thị xã Cửa Lò'],
  ['HPX', 'UBND huyện Phú Xuân'],
  ['HTL', 'UBND huyện Tân Lập'],
  ['HDS', 'UBND huyện Đông Sơn'],
  ['HTB', 'UBND huyện Thạch Bàn'],
  ['HYH', 'UBND huyện Yên Hòa'],
  ['HNL', 'UBND huyện Ngọc Lâm'],
  ['HHT', 'UBND huyện Hương Trà'],
  ['HCL', 'UBND huyện Cam Lộ'],
  ['HMT', 'UBND huyện Minh Thành'],
];

const communes: Array<[string, string]> = [
  ['PTP', 'UBND phường Trần Phú'],
  ['PQT', 'UBND phường Quang Trung'],
  ['PLL', 'UBND phường Lê Lợi'],
  ['PBD', 'UBND phường Bến Thủy'],
  ['XHP', 'UBND xã Hưng Phúc'],
  ['XNT', 'UBND xã Nghi Thạch'],
  ['XDH', 'UBND xã Đức Hòa'],
  ['XTS', 'UBND xã Tam Sơn'],
  ['XVL', 'UBND xã Vĩnh Lộc'],
  ['XQL', 'UBND xã Quỳnh Lưu'],
];

const centrals: Array<[string, string, number]> = [
  ['CTHUE', 'Cục Thuế tỉnh', 3],
  ['CHQ', 'Cục Hải quan tỉnh', 1.5],
  ['KBNN', 'Kho bạc Nhà nước tỉnh', 2],
  ['BHXH', 'Bảo hiểm xã hội tỉnh', 2],
  ['CTHADS', 'Cục Thi hành án dân sự tỉnh', 1.5],
  ['CAT', 'Công an tỉnh', 3],
  ['BCHQS', 'Bộ Chỉ huy Quân sự tỉnh', 1.5],
  ['BDBP', 'Bộ Chỉ huy Bộ đội Biên phòng tỉnh', 1],
  ['NHNN', 'Ngân hàng Nhà nước chi nhánh tỉnh', 1.5],
  ['CTK', 'Cục Thống kê tỉnh', 1.5],
  ['CQLTT', 'Cục Quản lý thị trường tỉnh', 1.5],
];

const others = (p: ProvinceIdentity): Array<[string, string, number]> => [
  ['DPTTH', 'Đài Phát thanh và Truyền hình tỉnh', 1],
  ['QDTPT', 'Quỹ Đầu tư phát triển tỉnh', 0.8],
  [`DL${p.code}`, `Công ty Điện lực ${p.name}`, 1],
  [`TDH${p.code}`, `Trường Đại học ${p.name}`, 0.6],
  ['LDLD', 'Liên đoàn Lao động tỉnh', 0.5],
  ['TDTN', 'Tỉnh đoàn', 0.5],
  ['HNDT', 'Hội Nông dân tỉnh', 0.5],
  ['BVDKT', 'Bệnh viện Đa khoa tỉnh', 1],
];

/** The demo units of a province (same order, hence the same ids, whatever the province). */
export function demoAgencies(province: ProvinceIdentity = DEFAULT_PROVINCE): DemoAgency[] {
  const p = provinceIdentity(province);
  return [
    ...departments.map(([code, name, weight]) => ({ code, name, kind: 'department' as const, weight })),
    ...districts(p).map(([code, name]) => ({ code, name, kind: 'district' as const, weight: 2.5 })),
    ...communes.map(([code, name]) => ({ code, name, kind: 'commune' as const, weight: 0.6 })),
    ...centrals.map(([code, name, weight]) => ({ code, name, kind: 'central' as const, weight })),
    ...others(p).map(([code, name, weight]) => ({ code, name, kind: 'other' as const, weight })),
  ];
}

export const DEMO_AGENCIES: DemoAgency[] = demoAgencies();

/** The agency merged mid-way into its successor (as Sở Kế hoạch và Đầu tư was merged into Sở Tài chính in 2025). */
export const MERGED_AGENCY = 'SKHDT';
export const SUCCESSOR_AGENCY = 'STC';
/** The real merger date, used when it falls well inside the generated period; otherwise the period's middle. */
export const REAL_MERGER_DATE = '2025-03-01';

export const DEMO_LEADERS: Array<{ name: string; title: string }> = [
  { name: 'Nguyễn Văn Thắng', title: 'Chủ tịch UBND tỉnh' },
  { name: 'Lê Thị Hồng Hạnh', title: 'Phó Chủ tịch Thường trực UBND tỉnh' },
  { name: 'Trần Quốc Bảo', title: 'Phó Chủ tịch UBND tỉnh' },
  { name: 'Phạm Minh Đức', title: 'Phó Chủ tịch UBND tỉnh' },
  { name: 'Hoàng Văn Nghĩa', title: 'Phó Chủ tịch UBND tỉnh' },
];

export interface DemoSector {
  code: string;
  name: string;
  /** Công văn suffix of the Office department that handles the sector: 1147/UBND-KSTT */
  office: string;
  /** leader index in DEMO_LEADERS who usually signs for this sector */
  leader: number;
  /** agency codes most often leading tasks of this sector */
  leads: string[];
  objects: string[];
}

/** The sectors, with the province's own city in their lead units and topics. */
export function demoSectors(province: ProvinceIdentity = DEFAULT_PROVINCE): DemoSector[] {
  const p = provinceIdentity(province);
  return SECTORS.map((s) => ({
    ...s,
    leads: s.leads.map((c) =>
      c.replace('{city}', `TP${p.code}`).replace('{power}', `DL${p.code}`).replace('{university}', `TDH${p.code}`),
    ),
    objects: s.objects.map((o) => o.replaceAll('{province}', p.name)),
  }));
}

const SECTORS: DemoSector[] = [
  {
    code: 'TCNS',
    name: 'Tài chính - Ngân sách',
    office: 'KT',
    leader: 1,
    leads: ['STC', 'CTHUE', 'KBNN', 'CHQ'],
    objects: [
      'dự toán ngân sách nhà nước năm {next}',
      'tình hình thu ngân sách nhà nước {half} năm {year}',
      'phương án sắp xếp lại, xử lý nhà, đất công',
      'quyết toán ngân sách địa phương năm {prev}',
      'chống thất thu thuế trong lĩnh vực kinh doanh bất động sản',
      'nợ đọng thuế của các doanh nghiệp trên địa bàn',
      'cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập',
    ],
  },
  {
    code: 'DTC',
    name: 'Đầu tư công',
    office: 'TH',
    leader: 1,
    leads: ['SKHDT', 'STC', 'BQLDAXD', 'SXD'],
    objects: [
      'tiến độ giải ngân vốn đầu tư công năm {year}',
      'kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030',
      'hồ sơ chủ trương đầu tư dự án đường ven biển',
      'các dự án chậm tiến độ, kéo dài',
      'thủ tục điều chỉnh dự án Bệnh viện Đa khoa tỉnh',
    ],
  },
  {
    code: 'NN',
    name: 'Nông nghiệp và Phát triển nông thôn',
    office: 'KT',
    leader: 2,
    leads: ['SNNPTNT', 'HPX', 'HTL', 'HDS', 'HYH'],
    objects: [
      'phòng, chống dịch tả lợn châu Phi',
      'Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm {year}',
      'công tác phòng, chống thiên tai và tìm kiếm cứu nạn',
      'tình hình khai thác thủy sản bất hợp pháp (IUU)',
      'kế hoạch sản xuất vụ Đông Xuân {year}',
      'công tác quản lý, bảo vệ và phát triển rừng',
    ],
  },
  {
    code: 'TNMT',
    name: 'Tài nguyên và Môi trường',
    office: 'KT',
    leader: 2,
    leads: ['STNMT', '{city}', 'TXBA', 'HCL'],
    objects: [
      'công tác bồi thường, giải phóng mặt bằng dự án khu công nghiệp',
      'bảng giá đất giai đoạn {year} - {year5}',
      'tình trạng khai thác khoáng sản trái phép',
      'cấp giấy chứng nhận quyền sử dụng đất lần đầu',
      'xử lý ô nhiễm môi trường tại cụm công nghiệp',
      'kế hoạch sử dụng đất năm {next}',
    ],
  },
  {
    code: 'XDGT',
    name: 'Xây dựng và Giao thông',
    office: 'KT',
    leader: 3,
    leads: ['SXD', 'SGTVT', 'BQLDAXD', '{city}'],
    objects: [
      'quy hoạch chung đô thị {province} đến năm 2045',
      'an toàn giao thông dịp Tết Nguyên đán',
      'tiến độ nâng cấp Quốc lộ 1A đoạn qua tỉnh',
      'quản lý trật tự xây dựng đô thị',
      'phát triển nhà ở xã hội giai đoạn 2021 - 2030',
    ],
  },
  {
    code: 'CT',
    name: 'Công thương',
    office: 'KT',
    leader: 3,
    leads: ['SCT', 'CQLTT', '{power}', 'BQLKKT'],
    objects: [
      'cung ứng điện mùa khô năm {year}',
      'chống buôn lậu, gian lận thương mại và hàng giả',
      'thu hút đầu tư vào Khu kinh tế Đông Nam',
      'bình ổn thị trường hàng hóa dịp cuối năm',
      'phát triển cụm công nghiệp',
    ],
  },
  {
    code: 'VHXH',
    name: 'Văn hóa - Xã hội',
    office: 'VX',
    leader: 4,
    leads: ['SLDTBXH', 'SVHTTDL', 'BDT', 'BHXH', 'SYT'],
    objects: [
      'chính sách hỗ trợ người lao động bị ảnh hưởng',
      'tổ chức các hoạt động kỷ niệm Ngày thành lập tỉnh',
      'công tác giảm nghèo bền vững năm {year}',
      'thu, chi bảo hiểm xã hội và bảo hiểm y tế',
      'phát triển du lịch biển mùa hè {year}',
    ],
  },
  {
    code: 'GD',
    name: 'Giáo dục và Đào tạo',
    office: 'VX',
    leader: 4,
    leads: ['SGDDT', '{university}'],
    objects: [
      'kỳ thi tốt nghiệp trung học phổ thông năm {year}',
      'sắp xếp mạng lưới trường lớp',
      'chương trình giáo dục phổ thông mới',
      'tuyển dụng giáo viên còn thiếu',
    ],
  },
  {
    code: 'YT',
    name: 'Y tế',
    office: 'VX',
    leader: 4,
    leads: ['SYT', 'BVDKT'],
    objects: [
      'mua sắm thuốc, vật tư y tế',
      'phòng, chống dịch sốt xuất huyết',
      'an toàn thực phẩm dịp Tết',
      'tự chủ tài chính các bệnh viện tuyến tỉnh',
    ],
  },
  {
    code: 'NC',
    name: 'Nội chính',
    office: 'NC',
    leader: 0,
    leads: ['CAT', 'TTT', 'STP', 'CTHADS', 'BCHQS', 'BDBP'],
    objects: [
      'giải quyết khiếu nại, tố cáo kéo dài',
      'công tác thi hành án dân sự năm {year}',
      'bảo đảm an ninh trật tự dịp lễ, Tết',
      'kết luận thanh tra việc quản lý đất đai',
      'phòng, chống tham nhũng, tiêu cực',
    ],
  },
  {
    code: 'CCHC',
    name: 'Cải cách hành chính',
    office: 'KSTT',
    leader: 0,
    leads: ['SNV', 'VPUBND', 'STP', 'TXCL', 'PTP', 'XHP'],
    objects: [
      'Chỉ số cải cách hành chính (PAR INDEX) năm {prev}',
      'Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)',
      'thủ tục hành chính quá hạn tại Trung tâm Phục vụ hành chính công',
      'sắp xếp đơn vị hành chính cấp xã',
      'kỷ luật, kỷ cương hành chính',
    ],
  },
  {
    code: 'CDS',
    name: 'Khoa học, công nghệ và chuyển đổi số',
    office: 'KSTT',
    leader: 0,
    leads: ['STTTT', 'SKHCN', 'CAT', 'VPUBND'],
    objects: [
      'Đề án 06 về dữ liệu dân cư, định danh và xác thực điện tử',
      'dịch vụ công trực tuyến toàn trình',
      'hệ thống quản lý văn bản và điều hành',
      'bảo đảm an toàn thông tin mạng',
      'kế hoạch chuyển đổi số năm {year}',
    ],
  },
];

export const DEMO_SECTORS: DemoSector[] = demoSectors();

export const TASK_VERBS = [
  'Tham mưu UBND tỉnh ban hành kế hoạch thực hiện',
  'Rà soát, báo cáo',
  'Chủ trì, phối hợp đề xuất giải pháp về',
  'Đẩy nhanh tiến độ',
  'Kiểm tra, xử lý dứt điểm',
  'Tổng hợp, báo cáo UBND tỉnh về',
  'Hoàn thiện hồ sơ, trình UBND tỉnh',
  'Tổ chức triển khai',
  'Tham mưu tổng kết, đánh giá',
  'Xây dựng dự thảo quy định về',
];

export const DOC_TYPES: Array<{ type: string; prefix: (office: string) => string; weight: number; perYear: number }> = [
  { type: 'Công văn', prefix: (office) => `UBND-${office}`, weight: 45, perYear: 6500 },
  { type: 'Thông báo kết luận', prefix: () => 'TB-UBND', weight: 25, perYear: 450 },
  { type: 'Quyết định', prefix: () => 'QĐ-UBND', weight: 12, perYear: 3600 },
  { type: 'Kế hoạch', prefix: () => 'KH-UBND', weight: 12, perYear: 320 },
  { type: 'Chỉ thị', prefix: () => 'CT-UBND', weight: 6, perYear: 30 },
];
