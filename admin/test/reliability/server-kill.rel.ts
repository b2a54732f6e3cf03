/**
 * kill -9 of the real server during writes, ROUNDS times (DESIGN.md §7: a crash at any moment loses no committed
 * write and leaves no half-applied operation). Each round starts the server on the same database, sends writes
 * through /api/v1 from several connections (urging events on open tasks, new tasks), kills it at a random moment,
 * and then, with the server down, checks:
 * - PRAGMA integrity_check is ok and no foreign key dangles;
 * - every write answered 2xx is present (the event with its unique note, the task with its code);
 * - no half-applied operation: every event written by the test has its audit row, every new task its "assigned"
 *   event and its audit row, and the derived columns of every touched task equal what refreshFacts re-derives
 *   from its events (computed inside a savepoint that is rolled back).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApiClient, issueApiToken } from '../../auth/api-tokens.ts';
import { openDatabase, type DB } from '../../db/open.ts';
import { addDays, today } from '../../domain/dates.ts';
import { refreshFacts } from '../../domain/tasks.ts';
import { say, seedDatabase, seededRandom, sleep, startServer, tempDir } from './support.ts';

const ROUNDS = Number(process.env.RELIABILITY_KILL_ROUNDS ?? 20);
const WORKERS = 4;
const NAME = 'kill -9 máy chủ';

let dir: string;
let dbPath: string;
let token: string;
let openCodes: string[];
let agencyCodes: string[];

beforeAll(() => {
  dir = tempDir('server-kill');
  dbPath = join(dir, 'app.db');
  const db = seedDatabase(dbPath);
  token = issueApiToken(
    db,
    createApiClient(db, { name: 'Kiểm thử độ tin cậy', role: 'specialist', agencyId: null, createdBy: null }),
    new Date(),
  ).token;
  openCodes = (
    db
      .prepare('SELECT code FROM tasks WHERE confirmed_on IS NULL AND cancelled_on IS NULL ORDER BY id LIMIT 400')
      .all() as Array<{ code: string }>
  ).map((r) => r.code);
  agencyCodes = (
    db
      .prepare('SELECT code FROM agencies WHERE merged_on IS NULL AND dissolved_on IS NULL ORDER BY id')
      .all() as Array<{ code: string }>
  ).map((r) => r.code);
  const n = (db.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n;
  db.close();
  say(NAME, `cơ sở dữ liệu mẫu: ${n} nhiệm vụ, ${openCodes.length} nhiệm vụ đang mở dùng để ghi`);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Acked {
  events: string[]; // notes of urging events answered 201
  tasks: string[]; // codes of tasks answered 201
  firstError?: string;
}

/** One writer: urging events (4 in 5) and new tasks (1 in 5) until stopped; records what was acknowledged. */
async function writer(url: string, w: number, round: number, rnd: () => number, acked: Acked, stop: () => boolean) {
  let n = 0;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let fiveHundreds = 0;
  while (!stop()) {
    n++;
    try {
      if (rnd() < 0.8) {
        const code = openCodes[Math.floor(rnd() * openCodes.length)]!;
        const note = `rel r${round} w${w} n${n}`;
        const res = await fetch(`${url}/api/v1/tasks/${code}/events`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ kind: 'urged', note }),
        });
        const text = await res.text();
        if (res.status === 201) acked.events.push(note);
        else if (res.status >= 500 && fiveHundreds++ === 0) acked.firstError ??= `${res.status} ${text.slice(0, 300)}`;
      } else {
        const res = await fetch(`${url}/api/v1/tasks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            title: `Nhiệm vụ kiểm thử độ tin cậy r${round} w${w} n${n}`,
            leadAgency: agencyCodes[Math.floor(rnd() * agencyCodes.length)],
            assignedOn: today(),
            deadline: addDays(today(), 30),
          }),
        });
        const text = await res.text();
        const body = res.status === 201 ? (JSON.parse(text) as { code?: string }) : null;
        if (res.status === 201 && body?.code) acked.tasks.push(body.code);
        else if (res.status >= 500 && fiveHundreds++ === 0) acked.firstError ??= `${res.status} ${text.slice(0, 300)}`;
      }
    } catch {
      // the connection died with the server: this write was not acknowledged
      if (stop()) break;
      await sleep(5);
    }
  }
  return fiveHundreds;
}

/** What the database must hold after a crash; returns the problems found (empty: consistent). */
function checkDatabase(db: DB, acked: Acked): string[] {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
  if (integrity[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} dòng`);
  const eventByNote = db.prepare("SELECT count(*) AS n FROM task_events WHERE kind = 'urged' AND note = ?");
  for (const note of acked.events)
    if ((eventByNote.get(note) as { n: number }).n !== 1) problems.push(`mất sự kiện đã xác nhận: ${note}`);
  const taskByCode = db.prepare('SELECT id FROM tasks WHERE code = ?');
  for (const code of acked.tasks) if (!taskByCode.get(code)) problems.push(`mất nhiệm vụ đã xác nhận: ${code}`);
  // every operation of the test whole: event ⇔ audit row, new task ⇔ assigned event + audit row
  const orphanEvents = db
    .prepare(
      `SELECT e.id, e.note FROM task_events e WHERE e.kind = 'urged' AND e.note LIKE 'rel r%' AND NOT EXISTS (
         SELECT 1 FROM audit_log a WHERE a.action = 'task.urged' AND json_extract(a.details, '$.eventId') = e.id)`,
    )
    .all() as Array<{ id: number; note: string }>;
  for (const e of orphanEvents) problems.push(`sự kiện ${e.id} (${e.note}) không có dòng nhật ký`);
  const orphanAudit = db
    .prepare(
      `SELECT a.id FROM audit_log a WHERE a.action = 'task.urged' AND json_extract(a.details, '$.apiClientId') IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM task_events e WHERE e.id = json_extract(a.details, '$.eventId'))`,
    )
    .all() as Array<{ id: number }>;
  for (const a of orphanAudit) problems.push(`dòng nhật ký ${a.id} không có sự kiện`);
  const newTasks = db
    .prepare(
      `SELECT t.id, t.code,
         (SELECT count(*) FROM task_events e WHERE e.task_id = t.id AND e.kind = 'assigned') AS assigned,
         (SELECT count(*) FROM audit_log a WHERE a.action = 'task.create' AND a.target_id = t.code) AS audited
       FROM tasks t WHERE t.title LIKE 'Nhiệm vụ kiểm thử độ tin cậy%'`,
    )
    .all() as Array<{ id: number; code: string; assigned: number; audited: number }>;
  for (const t of newTasks)
    if (t.assigned !== 1 || t.audited !== 1)
      problems.push(`nhiệm vụ ${t.code}: ${t.assigned} sự kiện giao, ${t.audited} dòng nhật ký`);
  // derived columns = facts re-derived from the events (the write path's own function, changes rolled back)
  const touched = db
    .prepare(
      `SELECT DISTINCT task_id AS id FROM task_events WHERE note LIKE 'rel r%'
       UNION SELECT id FROM tasks WHERE title LIKE 'Nhiệm vụ kiểm thử độ tin cậy%'`,
    )
    .all() as Array<{ id: number }>;
  const row = db.prepare('SELECT * FROM tasks WHERE id = ?');
  for (const { id } of touched) {
    const { last_update_at: _a, ...stored } = row.get(id) as Record<string, unknown>;
    db.exec('SAVEPOINT rederive');
    try {
      refreshFacts(db, id);
      const { last_update_at: _b, ...derived } = row.get(id) as Record<string, unknown>;
      if (JSON.stringify(stored) !== JSON.stringify(derived))
        problems.push(`nhiệm vụ ${stored.code}: cột suy ra khác sự kiện`);
    } finally {
      db.exec('ROLLBACK TO rederive');
      db.exec('RELEASE rederive');
    }
  }
  return problems;
}

it(`${ROUNDS} lần kill -9 máy chủ khi đang ghi: không mất ghi đã xác nhận, không thao tác dở`, async () => {
  const rnd = seededRandom(NAME);
  const started = Date.now();
  let totalEvents = 0;
  let totalTasks = 0;
  let total5xx = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const server = await startServer(dbPath, dir);
    const acked: Acked = { events: [], tasks: [] };
    let stopped = false;
    const workers = Array.from({ length: WORKERS }, (_, w) => writer(server.url, w, round, rnd, acked, () => stopped));
    const killAfter = 150 + Math.floor(rnd() * 1200);
    await sleep(killAfter);
    await server.kill9();
    stopped = true;
    const fiveHundreds = (await Promise.all(workers)).reduce((a, b) => a + b, 0);
    total5xx += fiveHundreds;
    const db = openDatabase(dbPath);
    let problems: string[];
    try {
      problems = checkDatabase(db, acked);
    } finally {
      db.close();
    }
    totalEvents += acked.events.length;
    totalTasks += acked.tasks.length;
    say(
      NAME,
      `vòng ${round}/${ROUNDS}: dừng sau ${killAfter} ms, ${acked.events.length} sự kiện + ${acked.tasks.length} nhiệm vụ đã xác nhận, ` +
        `${fiveHundreds} lỗi 5xx, ${problems.length === 0 ? 'dữ liệu nhất quán' : `${problems.length} vấn đề`}`,
    );
    expect(problems, `vòng ${round}`).toEqual([]);
    expect(fiveHundreds, `vòng ${round}: lỗi 5xx: ${acked.firstError}\n${server.output()}`).toBe(0);
  }
  expect(totalEvents).toBeGreaterThan(0);
  say(
    NAME,
    `TỔNG KẾT: ${ROUNDS} vòng, ${totalEvents} sự kiện và ${totalTasks} nhiệm vụ đã xác nhận đều còn nguyên, ` +
      `integrity_check ok, không thao tác dở, ${total5xx} lỗi 5xx, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}, 400_000);
