/**
 * The demo province generator: a plausible, deterministic history of a Vietnamese provincial People's Committee's
 * tasks. Same (years, seed, endDate, now) ⇒ the same database content, byte for byte (no wall clock read here, no
 * Math.random): the caller passes `now`, and nothing is recorded after it (an event of the run day gets a time of
 * day at or before the moment the demo runs, never one in the future).
 *
 * Speed matters (ten years = 30,000 tasks and 300,000+ events in ≤ 30 s): histories are built in memory, their facts
 * derived with the rules module (deriveFacts + factsToColumns, the same code the write path uses), and everything is
 * bulk-inserted with prepared statements in one transaction. Every history is built to be one the rules accept
 * (admin/demo/generate.test.ts replays a sample through checkEvent and through appendEvent).
 */
import type { DB } from '../db/open.ts';
import { addDays, addMonths, formatDateVi, type IsoDate } from '../domain/dates.ts';
import { deriveFacts, type EventLite } from '../domain/status.ts';
import { defaultPublic, factsToColumns, taskSearchText } from '../domain/tasks.ts';
import { reorganisationEvent } from '../domain/agency-reorganisation.ts';
import { Random } from './random.ts';
import { PRIORITY, simulateHistory } from './history.ts';
import {
  DEMO_LEADERS,
  demoAgencies,
  demoSectors,
  DOC_TYPES,
  MERGED_AGENCY,
  provinceIdentity,
  type ProvinceIdentity,
  REAL_MERGER_DATE,
  SUCCESSOR_AGENCY,
  TASK_VERBS,
  type DemoSector,
} from './province.ts';
import { NO_DEADLINE_REASONS } from './history-notes.ts';

/** Fixed default end of the generated period, so a library call with only (years, seed) is reproducible. */
export const DEFAULT_END_DATE: IsoDate = '2026-10-31';

export interface GenerateOptions {
  years: number;
  seed: string | number;
  /** last day of the generated history (events after it are not written); default DEFAULT_END_DATE */
  endDate?: IsoDate;
  /** the moment of the run (scripts/demo.ts passes the clock): no recorded time is later than it */
  now?: Date;
  /** the province's name and short code, used in the settings and in the units named after it; default Lam Sơn */
  province?: ProvinceIdentity;
  onProgress?: (p: { year: number; tasks: number; events: number }) => void;
}

export interface GenerateSummary {
  from: IsoDate;
  to: IsoDate;
  agencies: number;
  leaders: number;
  sectors: number;
  documents: number;
  tasks: number;
  events: number;
  merged: { code: string; successor: string; on: IsoDate };
}

export function isWorkday(d: IsoDate): boolean {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

export function fill(template: string, year: number): string {
  return template
    .replaceAll('{year}', String(year))
    .replaceAll('{next}', String(year + 1))
    .replaceAll('{prev}', String(year - 1))
    .replaceAll('{year5}', String(year + 4))
    .replaceAll('{half}', '6 tháng đầu');
}

function _capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Fills an empty database with the demo province. Throws when the database already holds agencies or tasks.
 */
export function generateProvince(db: DB, options: GenerateOptions): GenerateSummary {
  const years = options.years;
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new RangeError('years must be an integer 1–30');
  const endDate = options.endDate ?? DEFAULT_END_DATE;
  const from = addDays(addMonths(endDate, -12 * years), 1);
  const existing = db.prepare('SELECT (SELECT count(*) FROM agencies) + (SELECT count(*) FROM tasks) AS n').get() as {
    n: number;
  };
  if (existing.n > 0) throw new Error('Cơ sở dữ liệu đã có dữ liệu; tỉnh mẫu chỉ được tạo trên cơ sở dữ liệu trống.');

  const province = provinceIdentity(options.province);
  const agencyDefs = demoAgencies(province);
  const sectorDefs = demoSectors(province);
  const rng = new Random(`${options.seed}|${years}|${endDate}`);
  const nowIso = options.now?.toISOString();
  // 08:00–16:59 local time on the event's day (UTC+7), clamped to the run's moment for the run day itself
  const stamp = (d: IsoDate, prio = 0) => {
    const s = `${d}T0${1 + Math.max(0, Math.min(8, prio))}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
    return nowIso !== undefined && s > nowIso ? nowIso : s;
  };

  // merger date: the real one when it lies well inside the period, otherwise the first day of the middle month
  const mergedOn =
    REAL_MERGER_DATE > addDays(from, 60) && REAL_MERGER_DATE < addDays(endDate, -60)
      ? REAL_MERGER_DATE
      : `${addMonths(from, 6 * years).slice(0, 7)}-01`;

  const agencyIds = new Map<string, number>();
  agencyDefs.forEach((a, i) => agencyIds.set(a.code, i + 1));
  const mergedId = agencyIds.get(MERGED_AGENCY)!;
  const successorId = agencyIds.get(SUCCESSOR_AGENCY)!;
  const weightedAgencies = agencyDefs.map((a) => [agencyIds.get(a.code)!, a.weight] as const);
  const allAgencyIds = agencyDefs.map((a) => agencyIds.get(a.code)!);
  const sectorPairs = sectorDefs.map((s, i) => [[s, i + 1], 1] as const);

  const insertAgency = db.prepare(
    'INSERT INTO agencies (id, code, name, kind, successor_id, merged_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLeader = db.prepare('INSERT INTO leaders (id, name, title) VALUES (?, ?, ?)');
  const insertSector = db.prepare('INSERT INTO sectors (id, code, name) VALUES (?, ?, ?)');
  const insertDocument = db.prepare(
    'INSERT INTO documents (id, number, doc_type, issued_on, signer_id, summary, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTask = db.prepare(
    `INSERT INTO tasks (id, code, title, content, document_id, lead_agency_id, leader_id, sector_id, assigned_on, deadline,
       no_deadline_reason, starred, confidential, search_text, created_at, received_on, ext_requested_on, ext_approved_on,
       ext_deadline, reported_on, completed_on, confirmed_on, cancelled_on, explained_on, last_event_on, last_update_at,
       report_windows, agency_history, settled_on, settled_category)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCoordinator = db.prepare('INSERT INTO task_coordinators (task_id, agency_id) VALUES (?, ?)');
  const insertEvent = db.prepare(
    `INSERT INTO task_events (id, task_id, kind, occurred_on, recorded_at, agency_id, note, data, public)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  let documents = 0;
  let tasks = 0;
  let events = 0;

  db.transaction(() => {
    for (const a of agencyDefs) {
      const id = agencyIds.get(a.code)!;
      const merged = a.code === MERGED_AGENCY;
      insertAgency.run(
        id,
        a.code,
        a.name,
        a.kind,
        merged ? successorId : null,
        merged ? mergedOn : null,
        `${from}T01:00:00.000Z`,
      );
    }
    DEMO_LEADERS.forEach((l, i) => insertLeader.run(i + 1, l.name, l.title));
    sectorDefs.forEach((s, i) => insertSector.run(i + 1, s.code, s.name));

    const docCounters = new Map<string, number>();
    const docsPerDay = 5.5;
    const codeCounters = new Map<string, number>();
    let reportedYear = Number(from.slice(0, 4));
    let yearTasks = 0;
    let yearEvents = 0;

    for (let day = from; day <= endDate; day = addDays(day, 1)) {
      const year = Number(day.slice(0, 4));
      if (year !== reportedYear) {
        options.onProgress?.({ year: reportedYear, tasks: yearTasks, events: yearEvents });
        reportedYear = year;
        yearTasks = 0;
        yearEvents = 0;
      }
      if (!isWorkday(day) && !rng.chance(0.04)) continue;
      const docCount = isWorkday(day) ? rng.int(3, 8) : 1;
      for (let k = 0; k < docCount; k++) {
        const docType = rng.weighted(DOC_TYPES.map((t) => [t, t.weight] as const));
        const [sector, sectorId] = rng.weighted(sectorPairs) as readonly [DemoSector, number];
        const counterKey = `${year}|${docType.type}`;
        const expectedPerYear = (250 * docsPerDay * docType.weight) / 100;
        const avgStep = Math.max(1, docType.perYear / expectedPerYear);
        const n = (docCounters.get(counterKey) ?? 0) + rng.int(1, Math.max(1, Math.round(2 * avgStep - 1)));
        docCounters.set(counterKey, n);
        const number = `${n}/${docType.prefix(sector.office)}`;
        const leaderId = rng.chance(0.7) ? sector.leader + 1 : rng.int(1, DEMO_LEADERS.length);
        const leader = DEMO_LEADERS[leaderId - 1]!;
        const topic = fill(rng.pick(sector.objects), year);
        const summary =
          docType.type === 'Thông báo kết luận'
            ? `Kết luận của đồng chí ${leader.name}, ${leader.title} tại cuộc họp về ${topic}`
            : `${docType.type} về ${topic}`;
        const documentId = ++documents;
        insertDocument.run(documentId, number, docType.type, day, leaderId, summary, stamp(day));

        const taskCount = rng.weighted([
          [1, 35],
          [2, 30],
          [3, 18],
          [4, 10],
          [5, 7],
        ] as const);
        for (let j = 0; j < taskCount; j++) {
          const assignedOn = day;
          let lead = rng.chance(0.55) ? agencyIds.get(rng.pick(sector.leads))! : rng.weighted(weightedAgencies);
          if (lead === mergedId && assignedOn >= mergedOn) lead = successorId;
          const noDeadline = rng.chance(0.05);
          const deadline = noDeadline
            ? null
            : addDays(
                assignedOn,
                rng.weighted([
                  [7, 10],
                  [10, 12],
                  [15, 18],
                  [20, 12],
                  [30, 20],
                  [45, 10],
                  [60, 9],
                  [90, 6],
                  [180, 3],
                ] as const),
              );
          const title = `${rng.pick(TASK_VERBS)} ${j === 0 ? topic : fill(rng.pick(sector.objects), year)}`;
          const content = `Thực hiện ${docType.type.toLowerCase()} số ${number} ngày ${formatDateVi(day)} của UBND tỉnh: ${title.charAt(0).toLowerCase()}${title.slice(1)}.`;
          const history = simulateHistory(rng, assignedOn, deadline);

          // the merger: the absorbed agency's open tasks move to the successor on the merger day
          if (lead === mergedId && assignedOn < mergedOn) {
            const closedBefore = history.some(
              (e) => (e.kind === 'confirmed' || e.kind === 'cancelled') && e.on < mergedOn,
            );
            if (!closedBefore) {
              // the same event the admin panel's merger writes (domain/agencies.ts)
              const e = reorganisationEvent(
                { id: mergedId, name: agencyDefs[mergedId - 1]!.name },
                { id: successorId, name: agencyDefs[successorId - 1]!.name },
                mergedOn,
              );
              history.push({ kind: e.kind, on: e.occurredOn, prio: PRIORITY.reassigned, note: e.note!, data: e.data });
            }
          }
          const kept = history
            .filter((e) => e.on <= endDate)
            .map((e, seq) => ({ e, seq }))
            .sort((x, y) => (x.e.on < y.e.on ? -1 : x.e.on > y.e.on ? 1 : x.e.prio - y.e.prio || x.seq - y.seq))
            .map((x) => x.e);

          const taskId = ++tasks;
          const yearKey = assignedOn.slice(0, 4);
          const seqNo = (codeCounters.get(yearKey) ?? 0) + 1;
          codeCounters.set(yearKey, seqNo);
          const code = `NV-${yearKey}-${String(seqNo).padStart(5, '0')}`;

          const firstEventId = events + 1;
          const lite: EventLite[] = kept.map((e, i) => ({
            id: firstEventId + i,
            kind: e.kind,
            occurredOn: e.on,
            data: e.data,
          }));
          const facts = deriveFacts({ assignedOn, deadline, leadAgencyId: lead }, lite);
          const cols = factsToColumns(facts);
          let lastRecorded = '';
          let currentAgency = lead;
          const stamps = kept.map((e) => (lastRecorded = stamp(e.on, e.prio)));

          insertTask.run(
            taskId,
            code,
            title,
            content,
            documentId,
            cols.lead_agency_id,
            leaderId,
            sectorId,
            assignedOn,
            deadline,
            noDeadline ? rng.pick(NO_DEADLINE_REASONS) : null,
            rng.chance(0.08) ? 1 : 0,
            rng.chance(0.03) ? 1 : 0,
            taskSearchText(code, title, content, number),
            stamps[0]!,
            cols.received_on,
            cols.ext_requested_on,
            cols.ext_approved_on,
            cols.ext_deadline,
            cols.reported_on,
            cols.completed_on,
            cols.confirmed_on,
            cols.cancelled_on,
            cols.explained_on,
            cols.last_event_on,
            lastRecorded,
            cols.report_windows,
            cols.agency_history,
            cols.settled_on,
            cols.settled_category,
          );
          if (rng.chance(0.4)) {
            const candidates = allAgencyIds.filter((a) => a !== lead && !(a === mergedId && assignedOn >= mergedOn));
            for (const a of rng.sample(candidates, rng.int(1, 3))) insertCoordinator.run(taskId, a);
          }
          kept.forEach((e, i) => {
            if (e.kind === 'reassigned') currentAgency = e.data.toAgencyId as number;
            insertEvent.run(
              firstEventId + i,
              taskId,
              e.kind,
              e.on,
              stamps[i]!,
              currentAgency,
              e.note,
              JSON.stringify(e.data),
              defaultPublic(e.kind) ? 1 : 0,
            );
          });
          events += kept.length;
          yearTasks++;
          yearEvents += kept.length;
        }
      }
    }
    options.onProgress?.({ year: reportedYear, tasks: yearTasks, events: yearEvents });
    const setSetting = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
    setSetting.run('province_name', `Ủy ban nhân dân tỉnh ${province.name}`);
    setSetting.run('office_name', `Văn phòng UBND tỉnh ${province.name}`);
    db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('demo.generated', ?)").run(
      JSON.stringify({ years, seed: String(options.seed), endDate }),
    );
  }).immediate();

  return {
    from,
    to: endDate,
    agencies: agencyDefs.length,
    leaders: DEMO_LEADERS.length,
    sectors: sectorDefs.length,
    documents,
    tasks,
    events,
    merged: { code: MERGED_AGENCY, successor: SUCCESSOR_AGENCY, on: mergedOn },
  };
}
