/**
 * The demo province as 2025 really was (issue 12): "tỉnh Lam Sơn" formed on 01/07/2025 by merging two former
 * provinces, each with its own history, leaders and units, through the product's own machinery:
 *
 *   former Lam Sơn (this database)            former Phú Lâm (its own database, in a work folder)
 *     history to 28/02/2025                     history to 28/02/2025
 *     01/03: departments merged, split, renamed (reorganisation-steps.ts, in each database)
 *     history to 30/06/2025                     history to 30/06/2025, its months published there
 *     01/07: new communes; Thuế tỉnh … ◀── mergeProvince (npm run merge-province: prefix PL, agency map)
 *            old communes merged into the new ones; every district split among communes and departments
 *     history from 01/07/2025 to the end: tasks only for units that exist (departments, communes, offices)
 *
 * Each task's history is simulated whole and written window by window (phased.ts): events after a reorganisation
 * are written once the product has moved the task to its successor. A step dated before the window's first day
 * still runs (on units with no tasks yet), so the units are the same whatever DEMO_YEARS; a step dated after the
 * last day does not. Deterministic: same (years, seed, endDate, now) ⇒ the same data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import { addDays, addMonths, endOfMonth, type IsoDate } from '../domain/dates.ts';
import { formatNumber } from '../domain/format.ts';
import { mergeProvince } from '../domain/province-merge.ts';
import { publishMonthEnds } from '../publication/publish.ts';
import { HistoryWriter, type LeadResolver } from './phased.ts';
import {
  DEMO_LEADERS,
  demoAgencies,
  demoSectors,
  type DemoAgency,
  type DemoSector,
  type ProvinceIdentity,
} from './province.ts';
import { Random } from './random.ts';
import {
  CONTINUING,
  DISTRICT_SECTOR_SUCCESSORS,
  JOINED,
  JOINED_COMMUNES,
  JOINED_DISTRICTS,
  JOINED_LEADERS,
  JOINED_PREFIX,
  JULY_DAY,
  MARCH_DAY,
  MARCH_MERGERS,
  MARCH_SPLIT,
  NEW_DEPARTMENT,
  newCommunes,
  RENAMES,
} from './reorganisation-plan.ts';
import { establish, merge, onDay, rename, reasonOf, split, stepContext } from './reorganisation-steps.ts';
import { summarizeReorganisation, type ReorganisationSummary } from './reorganised-summary.ts';

export interface ReorganisedOptions {
  years: number;
  seed: string | number;
  endDate: IsoDate;
  now?: Date;
  /** folder for the joined province's own database; default a temporary folder, removed at the end */
  workDir?: string;
  /** this province's upload folder (the merger places the joined province's files there) */
  uploadDir?: string;
  /** also publish this province's own months from this period (YYYY-MM) to 06/2025, before the merger */
  publishFrom?: string;
  /** months of the joined province published in its own database before the merger (its archive); default 6 (each
   * takes seconds: a snapshot of every public task) */
  joinedMonths?: number;
  onProgress?: (message: string) => void;
  /** for tests: called with both databases at 'before-march' (after the first window) and 'before-july' */
  onStage?: (stage: 'before-march' | 'before-july', dbs: { continuing: DB; joined: DB }) => void;
}

/** The joined province's units: the usual departments and offices under its name, its own districts and communes. */
function joinedAgencies(): { agencies: DemoAgency[]; sectors: DemoSector[] } {
  const base = demoAgencies(JOINED);
  const own = new Map<string, [string, string]>();
  let d = 0;
  let c = 0;
  const agencies = base.map((a) => {
    const row = a.kind === 'district' ? JOINED_DISTRICTS[d++] : a.kind === 'commune' ? JOINED_COMMUNES[c++] : undefined;
    if (!row) return a;
    own.set(a.code, row);
    return { ...a, code: row[0], name: row[1] };
  });
  const sectors = demoSectors(JOINED).map((s) => ({ ...s, leads: s.leads.map((l) => own.get(l)?.[0] ?? l) }));
  return { agencies, sectors };
}

function writeSettings(db: DB, p: ProvinceIdentity, generated: Record<string, unknown>): void {
  const set = db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
  set.run('province_name', `Ủy ban nhân dân tỉnh ${p.name}`);
  set.run('office_name', `Văn phòng UBND tỉnh ${p.name}`);
  set.run('demo.generated', JSON.stringify(generated));
}

/** Each ended unit's work, for a new task drawn for it: a merged unit's successor; a split unit's by sector. */
function leadResolver(db: DB, splitRules: Map<string, (sector: string, rng: Random) => string>): LeadResolver {
  const rows = db
    .prepare(
      `SELECT a.code, s.code AS successor, coalesce(a.merged_on, a.dissolved_on) AS ended FROM agencies a
       LEFT JOIN agencies s ON s.id = a.successor_id`,
    )
    .all() as Array<{ code: string; successor: string | null; ended: string | null }>;
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return function resolve(code, day, sector, rng) {
    const a = byCode.get(code);
    if (!a || a.ended === null || a.ended > day) return code;
    if (a.successor !== null) return resolve(a.successor, day, sector, rng);
    const rule = splitRules.get(code);
    if (!rule) throw new Error(`demo: ${code} ended without a successor`);
    return resolve(rule(sector, rng), day, sector, rng);
  };
}

/** The units operating now, weighted: each carries its own share and those of the units merged into it. */
function activePool(db: DB, weightOf: (code: string) => number): Array<readonly [string, number]> {
  const rows = db
    .prepare('SELECT id, code, kind, successor_id, dissolved_on FROM agencies ORDER BY id')
    .all() as Array<{
    id: number;
    code: string;
    kind: string;
    successor_id: number | null;
    dissolved_on: string | null;
  }>;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const weight = new Map<number, number>();
  for (const r of rows) {
    let at = r;
    while (at.successor_id !== null) at = byId.get(at.successor_id)!;
    if (at.dissolved_on === null) weight.set(at.id, (weight.get(at.id) ?? 0) + weightOf(r.code));
  }
  return rows.filter((r) => weight.has(r.id) && r.kind !== 'district').map((r) => [r.code, weight.get(r.id)!] as const);
}

/** Publishes each month of [fromPeriod, 06/2025] in `db`, as the Office did after each monthly meeting. */
function publishMonths(db: DB, fromPeriod: string, now: Date | undefined): number {
  let n = 0;
  for (let p = fromPeriod; p <= addDays(JULY_DAY, -1).slice(0, 7); p = addMonths(`${p}-01`, 1).slice(0, 7)) {
    const at = new Date(`${addMonths(`${p}-05`, 1)}T03:00:00.000Z`);
    n += publishMonthEnds(db, { fromPeriod: p, until: endOfMonth(p), now: now && now < at ? now : at }).length;
  }
  return n;
}

export function generateReorganisedProvince(db: DB, options: ReorganisedOptions): ReorganisationSummary {
  const { years, endDate: end, now } = options;
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new RangeError('years must be an integer 1–30');
  const existing = db.prepare('SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM tasks)').pluck().get();
  if (existing !== 0) throw new Error('Cơ sở dữ liệu đã có dữ liệu; tỉnh mẫu chỉ được tạo trên cơ sở dữ liệu trống.');
  const from = addDays(addMonths(end, -12 * years), 1);
  const say = options.onProgress ?? (() => {});
  const seed = `${options.seed}|${years}|${end}|2025`;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'tdnv-demo-'));
  const joinedPath = join(workDir, 'tinh-phu-lam.db');
  for (const f of ['', '-wal', '-shm']) rmSync(joinedPath + f, { force: true });
  const joinedDb = openDatabase(joinedPath);
  try {
    const a = {
      db,
      p: CONTINUING,
      agencies: demoAgencies(CONTINUING),
      sectors: demoSectors(CONTINUING),
      leaders: DEMO_LEADERS,
    };
    const b = { db: joinedDb, p: JOINED, ...joinedAgencies(), leaders: JOINED_LEADERS };
    const generated = { years, seed: String(options.seed), endDate: end, reorganised: true };
    const provinces = [a, b].map((x) => {
      const progress = (p: { year: number; tasks: number; events: number }) =>
        say(`tỉnh ${x.p.name} năm ${p.year}: ${formatNumber(p.tasks)} nhiệm vụ, ${formatNumber(p.events)} sự kiện`);
      const writer = new HistoryWriter(x.db, x.sectors, {
        seed: `${seed}|${x.p.code}`,
        leaders: x.leaders,
        now,
        onProgress: progress,
      });
      writer.writeUnits(x.agencies, from);
      writeSettings(x.db, x.p, generated);
      const weights = new Map(x.agencies.map((u) => [u.code, u.weight]));
      return { ...x, writer, weights };
    });
    const splitRules = new Map<string, (sector: string, rng: Random) => string>();
    const bySector = new Map(MARCH_SPLIT.bySector);
    splitRules.set(MARCH_SPLIT.code, (sector) => bySector.get(sector) ?? MARCH_SPLIT.rest);
    // the window [ws, we] clipped to the history's days: only pending events when it ends before `from`
    const window = (x: (typeof provinces)[number], ws: IsoDate, we: IsoDate) => {
      const last = we < end ? we : end;
      if (last >= ws) x.writer.writeWindow(ws < from ? from : ws, last, leadResolver(x.db, splitRules));
    };

    for (const x of provinces) window(x, from, addDays(MARCH_DAY, -1));
    options.onStage?.('before-march', { continuing: db, joined: joinedDb });
    // per province: the same steps in each database
    const marchRenames = RENAMES.filter((r) => r.on === MARCH_DAY);
    const march: ReorganisationSummary['march'] = {
      merged: MARCH_DAY <= end ? MARCH_MERGERS.length : 0,
      tasksMoved: 0,
      split: [],
      renamed: MARCH_DAY <= end ? marchRenames.length : 0,
    };
    if (MARCH_DAY <= end)
      for (const x of provinces) {
        const ctx = stepContext(MARCH_DAY, now);
        const why = reasonOf('Sắp xếp các cơ quan chuyên môn thuộc UBND tỉnh theo Nghị quyết của HĐND tỉnh', MARCH_DAY);
        establish(x.db, { ...NEW_DEPARTMENT, kind: 'department' }, MARCH_DAY, ctx);
        for (const [fromCode, toCode] of MARCH_MERGERS)
          march.tasksMoved += merge(x.db, fromCode, toCode, MARCH_DAY, ctx, why).tasksMoved;
        const mapping = `sector_code,successor_code\n${MARCH_SPLIT.bySector.map((l) => l.join(',')).join('\n')}\n,${MARCH_SPLIT.rest}\n`;
        march.split.push(split(x.db, MARCH_SPLIT.code, mapping, [MARCH_SPLIT.rest], MARCH_DAY, ctx, x.writer.rng, why));
        for (const r of marchRenames) rename(x.db, r.code, r.name(x.p), r.on, ctx);
        x.writer.setPool(activePool(x.db, (c) => x.weights.get(c) ?? 0));
      }
    for (const x of provinces) window(x, MARCH_DAY, addDays(JULY_DAY, -1));
    options.onStage?.('before-july', { continuing: db, joined: joinedDb });

    const fromPeriod = from.slice(0, 7);
    const latest = (p: string) => (p > fromPeriod ? p : fromPeriod);
    const joinedFirst = addMonths(JULY_DAY, -(options.joinedMonths ?? 6)).slice(0, 7);
    const published = { continuing: 0, joined: 0 };
    if (JULY_DAY <= end && from < JULY_DAY) {
      published.joined = publishMonths(joinedDb, latest(joinedFirst), now);
      if (options.publishFrom) published.continuing = publishMonths(db, latest(options.publishFrom), now);
      say(`đã công bố ${published.joined} kỳ của tỉnh ${JOINED.name} trong cơ sở dữ liệu của tỉnh`);
    }
    joinedDb.pragma('wal_checkpoint(TRUNCATE)');
    joinedDb.close();

    let july: ReorganisationSummary['july'] | null = null;
    if (JULY_DAY <= end) {
      july = julySteps(db, provinces, joinedPath, options, say);
      // a task drawn for an abolished district after 01/07 goes where its open tasks went: by sector, else a commune
      const sectorSuccessors = new Map(DISTRICT_SECTOR_SUCCESSORS);
      for (const d of july.districts)
        splitRules.set(d.code, (sector, rng) => sectorSuccessors.get(sector) ?? rng.pick(d.communes));
      const [pa, pb] = provinces as [(typeof provinces)[number], (typeof provinces)[number]];
      const newId = db.prepare(
        "SELECT row_id FROM former_province_rows WHERE kind = 'task' AND province_id = ? AND source_id = ?",
      );
      pa.writer.adopt(pb.writer, (old) => newId.pluck().get(july!.provinceId, old) as number);
      const weightOf = (c: string) =>
        pa.weights.get(c) ??
        (c.startsWith(`${JOINED_PREFIX}-`) ? (pb.weights.get(c.slice(JOINED_PREFIX.length + 1)) ?? 0) : 1.25);
      pa.writer.setPool(activePool(db, weightOf));
      pa.writer.scale = 2; // one province with the work of two
      window(pa, JULY_DAY, end);
    }
    for (const x of provinces) x.writer.discardPending();
    return summarizeReorganisation(db, { from, to: end, march, july, published });
  } finally {
    if (joinedDb.open) joinedDb.close();
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** 01/07/2025 in this database: new communes, renames, the province merger, communes merged, districts split. */
function julySteps(
  db: DB,
  provinces: Array<{ agencies: DemoAgency[]; p: ProvinceIdentity }>,
  joinedPath: string,
  options: ReorganisedOptions,
  say: (m: string) => void,
): NonNullable<ReorganisationSummary['july']> {
  const day = JULY_DAY;
  const ctx = stepContext(day, options.now);
  const rng = new Random(`${options.seed}|${options.years}|${options.endDate}|july`);
  const [a, b] = provinces as [(typeof provinces)[number], (typeof provinces)[number]];
  const districtsOf = (x: typeof a) => x.agencies.filter((u) => u.kind === 'district');
  const communesOf = (x: typeof a) => x.agencies.filter((u) => u.kind === 'commune');
  const created = [...newCommunes(districtsOf(a)), ...newCommunes(districtsOf(b))];
  for (const c of created) establish(db, { code: c.code, name: c.name, kind: 'commune' }, day, ctx);
  for (const r of RENAMES.filter((r) => r.on === day)) rename(db, r.code, r.name(CONTINUING), day, ctx);

  // each old commune into a new one of its province (wards into wards), round robin
  const successorsOfCommunes = (x: typeof a) => {
    const fresh = newCommunes(districtsOf(x)).filter((c) => !c.code.endsWith('-2'));
    const wards = fresh.filter((c) => c.code.startsWith('PH-'));
    const rural = fresh.filter((c) => c.code.startsWith('XA-'));
    let w = 0;
    let r = 0;
    return communesOf(x).map(
      (c) =>
        [c.code, (c.name.includes('phường') ? wards[w++ % wards.length] : rural[r++ % rural.length])!.code] as const,
    );
  };
  const joinedMap = [
    'other_code,this_code',
    ...b.agencies
      // districts are split below; the joined province's university goes on as a unit of its own (PL-TDHPL)
      .filter((u) => u.kind !== 'district' && u.kind !== 'commune' && u.code !== `TDH${JOINED.code}`)
      .filter((u) => !MARCH_MERGERS.some(([f]) => f === u.code) && u.code !== MARCH_SPLIT.code)
      .map((u) => `${u.code},${u.code.replace(new RegExp(`${JOINED.code}$`), CONTINUING.code)}`),
    `${NEW_DEPARTMENT.code},${NEW_DEPARTMENT.code}`,
    ...successorsOfCommunes(b).map(([o, t]) => `${o},${t}`),
  ].join('\n');
  say(`hợp nhất tỉnh ${JOINED.name} vào tỉnh ${CONTINUING.name} từ ngày 01/07/2025 (npm run merge-province)`);
  const merged = onDay(db, day, ctx, () =>
    mergeProvince(
      { db, dbPath: db.name, uploadDir: options.uploadDir ?? join(dirname(joinedPath), 'uploads') },
      { fromPath: joinedPath, prefix: JOINED_PREFIX, on: day, mapText: joinedMap, mapName: 'bảng ánh xạ của tỉnh mẫu' },
      { dryRun: false, today: day, now: ctx.at, onProgress: (m) => say(`  ${m}`) },
    ),
  );

  const why = reasonOf('Sắp xếp đơn vị hành chính cấp xã, không tổ chức cấp huyện (Nghị quyết 202/2025/QH15)', day);
  let communesMerged = 0;
  for (const [o, t] of successorsOfCommunes(a)) {
    merge(db, o, t, day, ctx, why);
    communesMerged++;
  }
  communesMerged += communesOf(b).length;
  const districts = [
    ...districtsOf(a).map((d) => ({ code: d.code, own: d.code })),
    ...districtsOf(b).map((d) => ({ code: `${JOINED_PREFIX}-${d.code}`, own: d.code })),
  ];
  const splits = districts.map((d) => {
    const communes = created.filter((c) => c.district === d.own).map((c) => c.code);
    const text = `sector_code,successor_code\n${DISTRICT_SECTOR_SUCCESSORS.map((l) => l.join(',')).join('\n')}\n${communes.map((c) => `,${c}`).join('\n')}\n`;
    return { ...split(db, d.code, text, communes, day, ctx, rng, why), communes };
  });
  return {
    provinceId: merged.provinceId!,
    joinedTasks: merged.plan.rows.tasks ?? 0,
    joinedEvents: merged.plan.rows.task_events ?? 0,
    tasksMovedByMerger: merged.tasksMoved,
    communesCreated: created.length,
    communesMerged,
    districts: splits,
    renamed: RENAMES.filter((r) => r.on === day).length,
  };
}
