/**
 * The demo's history written in windows, so the product's own reorganisation functions can run between them
 * (admin/demo/reorganised.ts). A merger or split dated D refuses an agency whose tasks have events after D (the
 * journal only moves forward, agency-reorganisation.ts checkDate); so each task's whole history is simulated at
 * once, as generate.ts does, but only the events up to the window's last day are written; the rest wait here
 * ("pending") and are written by the next window, after the reorganisation has moved the task to its successor,
 * under whichever unit leads the task by then.
 *
 * New tasks and their first events are bulk-inserted with prepared statements, their facts derived with the rules
 * module (deriveFacts + factsToColumns), as generate.ts does: appendEvent (each call re-reads the task and its
 * events) took ≈ 0.25 ms an event here for the merger's 1,253 moves, so ≈ 2.5 minutes for 600,000 events, against
 * ≈ 12 s for both ten-year provinces in bulk.
 * Pending events of tasks that already exist are inserted and the task's facts recomputed with refreshFacts (the
 * write path's own function). Deterministic: one seeded Random per province, tasks walked in id order.
 */
import type { DB } from '../db/open.ts';
import { addDays, formatDateVi, type IsoDate } from '../domain/dates.ts';
import { deriveFacts, type EventLite } from '../domain/status.ts';
import { defaultPublic, factsToColumns, refreshFacts, taskSearchText } from '../domain/tasks.ts';
import { fill, isWorkday } from './generate.ts';
import { type GenEvent, simulateHistory } from './history.ts';
import { type DemoAgency, type DemoSector, DOC_TYPES, TASK_VERBS } from './province.ts';
import { NO_DEADLINE_REASONS } from './history-notes.ts';
import { Random } from './random.ts';

type Stamped = GenEvent & { at: string };

export interface WindowCounts {
  documents: number;
  tasks: number;
  events: number;
}

/** Chooses the unit that leads a new task: the code drawn, resolved to one that exists on the day (its successor). */
export type LeadResolver = (code: string, day: IsoDate, sectorCode: string, rng: Random) => string;

export interface WriterOptions {
  seed: string;
  /** the province's Chairman first, then the Vice-Chairmen (a sector's `leader` is an index here) */
  leaders: ReadonlyArray<{ name: string; title: string }>;
  /** the moment of the run: nothing is recorded later */
  now?: Date;
  onProgress?: (p: { year: number; tasks: number; events: number }) => void;
}

const DEADLINE_DAYS = [
  [7, 10],
  [10, 12],
  [15, 18],
  [20, 12],
  [30, 20],
  [45, 10],
  [60, 9],
  [90, 6],
  [180, 3],
] as const;
const TASKS_PER_DOCUMENT = [
  [1, 35],
  [2, 30],
  [3, 18],
  [4, 10],
  [5, 7],
] as const;

export class HistoryWriter {
  readonly rng: Random;
  private readonly nowIso: string | undefined;
  /** task id → events not written yet, in order */
  private pending = new Map<number, Stamped[]>();
  private readonly docCounters = new Map<string, number>();
  private readonly codeCounters = new Map<string, number>();
  /** the units operating now, with their weights (codes): new tasks are drawn from them, and their coordinators */
  private pool: ReadonlyArray<readonly [string, number]> = [];
  private readonly idOf = new Map<string, number>();
  /** documents per day relative to one province's (a merged province has the work of two) */
  scale = 1;

  constructor(
    private readonly db: DB,
    private readonly sectors: DemoSector[],
    private readonly options: WriterOptions,
  ) {
    this.rng = new Random(options.seed);
    this.nowIso = options.now?.toISOString();
  }

  /** 08:00–16:59 local time (UTC+7) on the day, never after the run's moment. */
  stamp(d: IsoDate, prio = 0): string {
    const s = `${d}T0${1 + Math.max(0, Math.min(8, prio))}:${String(this.rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
    return this.nowIso !== undefined && s > this.nowIso ? this.nowIso : s;
  }

  /** The units, leaders and sectors of a new province (ids 1…n in order; establishment days left unrecorded). */
  writeUnits(agencies: DemoAgency[], from: IsoDate): void {
    const insertAgency = this.db.prepare(
      'INSERT INTO agencies (id, code, name, kind, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    const insertLeader = this.db.prepare('INSERT INTO leaders (id, name, title) VALUES (?, ?, ?)');
    const insertSector = this.db.prepare('INSERT INTO sectors (id, code, name) VALUES (?, ?, ?)');
    this.db
      .transaction(() => {
        agencies.forEach((a, i) => insertAgency.run(i + 1, a.code, a.name, a.kind, `${from}T01:00:00.000Z`));
        this.options.leaders.forEach((l, i) => insertLeader.run(i + 1, l.name, l.title));
        this.sectors.forEach((s, i) => insertSector.run(i + 1, s.code, s.name));
      })
      .immediate();
    this.setPool(agencies.map((a) => [a.code, a.weight] as const));
  }

  setPool(pool: ReadonlyArray<readonly [string, number]>): void {
    this.pool = pool;
  }

  private agencyId(code: string): number {
    let id = this.idOf.get(code);
    if (id === undefined) {
      id = this.db.prepare('SELECT id FROM agencies WHERE code = ?').pluck().get(code) as number | undefined;
      if (id === undefined) throw new Error(`demo: no agency ${code}`);
      this.idOf.set(code, id);
    }
    return id;
  }

  /** Tasks waiting for events after the last window (their ids). */
  pendingTaskIds(): number[] {
    return [...this.pending.keys()];
  }

  /** Takes over another province's pending events, its task ids translated (after a province merger). */
  adopt(other: HistoryWriter, newId: (oldId: number) => number): void {
    for (const [id, events] of other.pending) this.pending.set(newId(id), events);
    other.pending.clear();
  }

  /**
   * Writes the pending events dated up to `end` (in task id order), then documents and tasks assigned on the days
   * [start, end], with their events up to `end`; later events wait for the next window.
   */
  writeWindow(start: IsoDate, end: IsoDate, resolveLead: LeadResolver): WindowCounts {
    const counts: WindowCounts = { documents: 0, tasks: 0, events: 0 };
    this.db
      .transaction(() => {
        counts.events += this.flushPending(end);
        if (start <= end) this.writeNewTasks(start, end, resolveLead, counts);
      })
      .immediate();
    return counts;
  }

  /** Drops what no window will write (events after the last day of the history). */
  discardPending(): void {
    this.pending.clear();
  }

  private flushPending(end: IsoDate): number {
    const insert = this.db.prepare(
      `INSERT INTO task_events (task_id, kind, occurred_on, recorded_at, agency_id, note, data, public)
       VALUES (?, ?, ?, ?, (SELECT lead_agency_id FROM tasks WHERE id = ?), ?, ?, ?)`,
    );
    const touch = this.db.prepare('UPDATE tasks SET last_update_at = ? WHERE id = ?');
    let written = 0;
    for (const id of [...this.pending.keys()].sort((a, b) => a - b)) {
      const events = this.pending.get(id)!;
      let n = 0;
      while (n < events.length && events[n]!.on <= end) n++;
      if (n === 0) continue;
      for (const e of events.slice(0, n))
        insert.run(id, e.kind, e.on, e.at, id, e.note, JSON.stringify(e.data), defaultPublic(e.kind) ? 1 : 0);
      refreshFacts(this.db, id);
      // refreshFacts stamps the wall clock; the demo's time is the last event's
      touch.run(events[n - 1]!.at, id);
      written += n;
      if (n === events.length) this.pending.delete(id);
      else this.pending.set(id, events.slice(n));
    }
    return written;
  }

  private writeNewTasks(start: IsoDate, end: IsoDate, resolveLead: LeadResolver, counts: WindowCounts): void {
    const { db, rng } = this;
    const max = (t: string) => db.prepare(`SELECT coalesce(max(id), 0) FROM ${t}`).pluck().get() as number;
    let documentId = max('documents');
    let taskId = max('tasks');
    let eventId = max('task_events');
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
    const sectorPairs = this.sectors.map((s, i) => [[s, i + 1], 1] as const);
    let reportedYear = Number(start.slice(0, 4));
    let yearTasks = 0;
    let yearEvents = 0;

    for (let day = start; day <= end; day = addDays(day, 1)) {
      const year = Number(day.slice(0, 4));
      if (year !== reportedYear) {
        this.options.onProgress?.({ year: reportedYear, tasks: yearTasks, events: yearEvents });
        [reportedYear, yearTasks, yearEvents] = [year, 0, 0];
      }
      if (!isWorkday(day) && !rng.chance(0.04)) continue;
      const docCount = isWorkday(day) ? rng.int(3 * this.scale, 8 * this.scale) : this.scale;
      for (let k = 0; k < docCount; k++) {
        const docType = rng.weighted(DOC_TYPES.map((t) => [t, t.weight] as const));
        const [sector, sectorId] = rng.weighted(sectorPairs) as readonly [DemoSector, number];
        const counterKey = `${year}|${docType.type}`;
        const avgStep = Math.max(1, docType.perYear / ((250 * 5.5 * docType.weight) / 100));
        const n = (this.docCounters.get(counterKey) ?? 0) + rng.int(1, Math.max(1, Math.round(2 * avgStep - 1)));
        this.docCounters.set(counterKey, n);
        const number = `${n}/${docType.prefix(sector.office)}`;
        const leaders = this.options.leaders;
        const leaderId = rng.chance(0.7) ? sector.leader + 1 : rng.int(1, leaders.length);
        const leader = leaders[leaderId - 1]!;
        const topic = fill(rng.pick(sector.objects), year);
        const summary =
          docType.type === 'Thông báo kết luận'
            ? `Kết luận của đồng chí ${leader.name}, ${leader.title} tại cuộc họp về ${topic}`
            : `${docType.type} về ${topic}`;
        insertDocument.run(++documentId, number, docType.type, day, leaderId, summary, this.stamp(day));
        counts.documents++;

        const taskCount = rng.weighted(TASKS_PER_DOCUMENT);
        for (let j = 0; j < taskCount; j++) {
          const drawn = rng.chance(0.55) ? rng.pick(sector.leads) : rng.weighted(this.pool);
          const leadCode = resolveLead(drawn, day, sector.code, rng);
          const lead = this.agencyId(leadCode);
          const noDeadline = rng.chance(0.05);
          const deadline = noDeadline ? null : addDays(day, rng.weighted(DEADLINE_DAYS));
          const title = `${rng.pick(TASK_VERBS)} ${j === 0 ? topic : fill(rng.pick(sector.objects), year)}`;
          const content = `Thực hiện ${docType.type.toLowerCase()} số ${number} ngày ${formatDateVi(day)} của UBND tỉnh: ${title.charAt(0).toLowerCase()}${title.slice(1)}.`;
          const history = simulateHistory(rng, day, deadline)
            .map((e, seq) => ({ e, seq }))
            .sort((x, y) => (x.e.on < y.e.on ? -1 : x.e.on > y.e.on ? 1 : x.e.prio - y.e.prio || x.seq - y.seq))
            .map(({ e }) => ({ ...e, at: this.stamp(e.on, e.prio) }));
          const kept = history.filter((e) => e.on <= end);
          const later = history.slice(kept.length);

          const id = ++taskId;
          const yearKey = day.slice(0, 4);
          const seqNo = (this.codeCounters.get(yearKey) ?? 0) + 1;
          this.codeCounters.set(yearKey, seqNo);
          const code = `NV-${yearKey}-${String(seqNo).padStart(5, '0')}`;
          const firstEventId = eventId + 1;
          const lite: EventLite[] = kept.map((e, i) => ({
            id: firstEventId + i,
            kind: e.kind,
            occurredOn: e.on,
            data: e.data,
          }));
          const cols = factsToColumns(deriveFacts({ assignedOn: day, deadline, leadAgencyId: lead }, lite));
          insertTask.run(
            id,
            code,
            title,
            content,
            documentId,
            cols.lead_agency_id,
            leaderId,
            sectorId,
            day,
            deadline,
            noDeadline ? rng.pick(NO_DEADLINE_REASONS) : null,
            rng.chance(0.08) ? 1 : 0,
            rng.chance(0.03) ? 1 : 0,
            taskSearchText(code, title, content, number),
            kept[0]!.at,
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
            kept[kept.length - 1]!.at,
            cols.report_windows,
            cols.agency_history,
            cols.settled_on,
            cols.settled_category,
          );
          if (rng.chance(0.4)) {
            const others = this.pool.map(([c]) => this.agencyId(c)).filter((a) => a !== lead);
            for (const a of rng.sample(others, rng.int(1, 3))) insertCoordinator.run(id, a);
          }
          kept.forEach((e, i) =>
            insertEvent.run(
              firstEventId + i,
              id,
              e.kind,
              e.on,
              e.at,
              lead,
              e.note,
              JSON.stringify(e.data),
              defaultPublic(e.kind) ? 1 : 0,
            ),
          );
          if (later.length > 0) this.pending.set(id, later);
          eventId += kept.length;
          counts.tasks++;
          counts.events += kept.length;
          yearTasks++;
          yearEvents += kept.length;
        }
      }
    }
    this.options.onProgress?.({ year: reportedYear, tasks: yearTasks, events: yearEvents });
  }
}
