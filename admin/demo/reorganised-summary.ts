/**
 * What the 2025 demo did (admin/demo/reorganised.ts), as figures and as the Vietnamese lines `npm run demo` prints.
 */
import type { DB } from '../db/open.ts';
import { formatDateVi, type IsoDate } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import type { SplitOutcome } from './reorganisation-steps.ts';
import { CONTINUING, JOINED, JOINED_PREFIX, JULY_DAY, MARCH_DAY } from './reorganisation-plan.ts';

export interface ReorganisationSummary {
  from: IsoDate;
  to: IsoDate;
  agencies: number;
  documents: number;
  tasks: number;
  events: number;
  /** tasks and events of each former province (assigned before 01/07/2025) */
  former: Array<{ name: string; tasks: number; events: number }>;
  march: { merged: number; tasksMoved: number; split: SplitOutcome[]; renamed: number };
  july: {
    provinceId: number;
    joinedTasks: number;
    joinedEvents: number;
    tasksMovedByMerger: number;
    communesCreated: number;
    communesMerged: number;
    districts: Array<SplitOutcome & { communes: string[] }>;
    renamed: number;
  } | null;
  published: { continuing: number; joined: number };
  /** tasks assigned from 01/07/2025 on, by the kind of unit leading them when assigned */
  afterJuly: Record<string, number>;
}

export function summarizeReorganisation(
  db: DB,
  s: Omit<ReorganisationSummary, 'agencies' | 'documents' | 'tasks' | 'events' | 'former' | 'afterJuly'>,
): ReorganisationSummary {
  const n = (sql: string, ...args: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  const former = (like: string, not: boolean) => ({
    tasks: n(`SELECT count(*) FROM tasks WHERE assigned_on < ? AND code ${not ? 'NOT ' : ''}LIKE ?`, JULY_DAY, like),
    events: n(
      `SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id
       WHERE t.assigned_on < ? AND t.code ${not ? 'NOT ' : ''}LIKE ?`,
      JULY_DAY,
      like,
    ),
  });
  const afterJuly: Record<string, number> = {};
  for (const r of db
    .prepare(
      `SELECT a.kind, count(*) AS n FROM tasks t JOIN task_events e ON e.task_id = t.id AND e.kind = 'assigned'
       JOIN agencies a ON a.id = e.agency_id WHERE t.assigned_on >= ? GROUP BY a.kind ORDER BY a.kind`,
    )
    .all(JULY_DAY) as Array<{ kind: string; n: number }>)
    afterJuly[r.kind] = r.n;
  return {
    ...s,
    agencies: n('SELECT count(*) FROM agencies'),
    documents: n('SELECT count(*) FROM documents'),
    tasks: n('SELECT count(*) FROM tasks'),
    events: n('SELECT count(*) FROM task_events'),
    former: [
      { name: `Tỉnh ${CONTINUING.name}`, ...former(`${JOINED_PREFIX}-%`, true) },
      ...(s.july ? [{ name: `Tỉnh ${JOINED.name}`, ...former(`${JOINED_PREFIX}-%`, false) }] : []),
    ],
    afterJuly,
  };
}

const KIND_LABELS: Record<string, string> = {
  department: 'sở, ban, ngành',
  commune: 'UBND cấp xã',
  central: 'cơ quan Trung ương',
  other: 'đơn vị khác',
  district: 'UBND cấp huyện',
};

/** The lines `npm run demo` prints about the reorganisation. */
export function reorganisationLines(s: ReorganisationSummary): string[] {
  const lines =
    s.from >= JULY_DAY
      ? [
          `Giai đoạn bắt đầu sau ngày ${formatDateVi(JULY_DAY)}: tỉnh đã sắp xếp; các bước ngày ${formatDateVi(MARCH_DAY)} và ${formatDateVi(JULY_DAY)} ghi nhận trên danh sách đơn vị, chưa có nhiệm vụ của hai tỉnh cũ (DEMO_YEARS lớn hơn để có lịch sử trước sắp xếp).`,
        ]
      : s.former.map(
          (f) =>
            `Tỉnh cũ: ${f.name} (đến 30/06/2025): ${formatNumber(f.tasks)} nhiệm vụ, ${formatNumber(f.events)} sự kiện.`,
        );
  if (s.to >= MARCH_DAY) {
    const moved = s.march.split.reduce((t, x) => t + x.tasks, 0);
    lines.push(
      `${formatDateVi(MARCH_DAY)}: ${s.march.merged} lần hợp nhất sở (KH&ĐT → Tài chính, GTVT → Xây dựng, TN&MT + NN&PTNT → Nông nghiệp và Môi trường, TT&TT → KH&CN) ` +
        `ở mỗi tỉnh, ${formatNumber(s.march.tasksMoved)} nhiệm vụ chuyển; chia tách Sở LĐ-TB&XH (Nội vụ, Y tế, GD&ĐT): ${formatNumber(moved)} nhiệm vụ; đổi tên ${s.march.renamed} đơn vị (Ban Dân tộc → Sở Dân tộc và Tôn giáo, kho bạc, bảo hiểm xã hội, hải quan khu vực …).`,
    );
  }
  if (s.july) {
    const j = s.july;
    const fromDistricts = j.districts.reduce((t, d) => t + d.tasks, 0);
    const toCommunes = j.districts.reduce(
      (t, d) => t + d.bySuccessor.filter((x) => d.communes.includes(x.code)).reduce((u, x) => u + x.tasks, 0),
      0,
    );
    lines.push(
      `${formatDateVi(JULY_DAY)}: hợp nhất tỉnh ${JOINED.name} vào tỉnh ${CONTINUING.name} (tiền tố ${JOINED_PREFIX}, ${formatNumber(j.joinedTasks)} nhiệm vụ, ${formatNumber(j.tasksMovedByMerger)} nhiệm vụ đang thực hiện chuyển sang đơn vị kế thừa); ` +
        `không tổ chức cấp huyện: ${j.districts.length} UBND cấp huyện chia tách, ${formatNumber(fromDistricts)} nhiệm vụ đang thực hiện chuyển cho xã, phường (${formatNumber(toCommunes)}) và sở, ngành (${formatNumber(fromDistricts - toCommunes)}); ` +
        `${j.communesCreated} UBND cấp xã mới, ${j.communesMerged} xã, phường cũ hợp nhất; đổi tên ${j.renamed} cơ quan (Cục Thuế tỉnh → Thuế tỉnh …).`,
    );
    const after = Object.entries(s.afterJuly)
      .map(([k, v]) => `${KIND_LABELS[k] ?? k} ${formatNumber(v)}`)
      .join(', ');
    lines.push(
      `Từ ${formatDateVi(JULY_DAY)}: nhiệm vụ chỉ giao cho sở, ngành, UBND cấp xã và cơ quan trên địa bàn (${after}).`,
    );
  }
  if (s.published.joined > 0)
    lines.push(`Lưu trữ: ${s.published.joined} kỳ công bố của tỉnh ${JOINED.name} (trang /luu-tru/).`);
  return lines;
}
