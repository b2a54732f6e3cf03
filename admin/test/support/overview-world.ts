/**
 * A small province for the leaders' overview tests (admin/routes/overview*.test.ts): the test app's three agencies
 * plus "Sở Đào tạo" (whose name sorts before "Sở Tài chính" in Vietnamese but after "UBND …" in bytes), two leaders,
 * and tasks of every kind around April 2026 — assigned in the month (completed on time, late, overdue, awaiting
 * confirmation, no deadline, cancelled), the backlog from before (still open, overdue, completed in April), and a
 * task completed before the month. The clock stands on 15/05/2026.
 */
import { appendEvent, createTask } from '../../domain/tasks.ts';
import { makeTestApp, type TestApp } from './admin-app.ts';

export interface OverviewWorld extends TestApp {
  leaders: { chairman: number; vice: number };
  agencyD: number;
}

export function makeOverviewWorld(): OverviewWorld {
  const t = makeTestApp({ start: '2026-05-15T03:00:00Z' });
  const db = t.db;
  const leader = db.prepare('INSERT INTO leaders (name, title) VALUES (?, ?)');
  const chairman = Number(leader.run('Trần Văn Chủ', 'Chủ tịch UBND tỉnh').lastInsertRowid);
  const vice = Number(leader.run('Lê Thị Phó', 'Phó Chủ tịch UBND tỉnh').lastInsertRowid);
  const agencyD = Number(
    db.prepare("INSERT INTO agencies (code, name, kind) VALUES ('SDT', 'Sở Đào tạo', 'department')").run()
      .lastInsertRowid,
  );
  const { a, b, c } = t.agencies;
  const task = (
    title: string,
    leadAgencyId: number,
    leaderId: number,
    assignedOn: string,
    deadline: string | null,
    events: Array<[kind: 'received' | 'reported' | 'confirmed' | 'cancelled', on: string]> = [],
  ) => {
    const id = createTask(db, {
      title,
      leadAgencyId,
      leaderId,
      assignedOn,
      deadline,
      noDeadlineReason: deadline === null ? 'Nhiệm vụ thường xuyên' : null,
    });
    for (const [kind, occurredOn] of events)
      appendEvent(db, id, { kind, occurredOn, ...(kind === 'cancelled' ? { note: 'Trùng nhiệm vụ khác' } : {}) });
    return id;
  };
  // the backlog: assigned before April, open on 31/03
  task('Tồn đọng quá hạn', a, chairman, '2026-02-01', '2026-03-01');
  task('Tồn đọng hoàn thành trong tháng 4', c, vice, '2026-02-10', '2026-04-15', [
    ['received', '2026-02-11'],
    ['reported', '2026-04-10'],
    ['confirmed', '2026-04-12'],
  ]);
  // completed before April: in the cumulative view only
  task('Hoàn thành trước kỳ', a, chairman, '2026-03-01', '2026-03-20', [
    ['received', '2026-03-02'],
    ['reported', '2026-03-19'],
    ['confirmed', '2026-03-25'],
  ]);
  // assigned in April
  task('Hoàn thành đúng hạn', b, vice, '2026-04-05', '2026-04-20', [
    ['received', '2026-04-06'],
    ['reported', '2026-04-18'],
    ['confirmed', '2026-04-19'],
  ]);
  task('Hoàn thành quá hạn', b, chairman, '2026-04-02', '2026-04-10', [
    ['received', '2026-04-03'],
    ['reported', '2026-04-15'],
    ['confirmed', '2026-04-16'],
  ]);
  task('Quá hạn trong kỳ', c, vice, '2026-04-03', '2026-04-12');
  task('Báo cáo đúng hạn chờ xác nhận', a, chairman, '2026-04-10', '2026-04-25', [
    ['received', '2026-04-11'],
    ['reported', '2026-04-24'],
  ]);
  task('Không thời hạn', b, vice, '2026-04-20', null);
  task('Đã thu hồi', a, chairman, '2026-04-08', '2026-05-30', [['cancelled', '2026-04-09']]);
  task('Đào tạo quá hạn', agencyD, vice, '2026-04-06', '2026-04-28');
  return { ...t, leaders: { chairman, vice }, agencyD };
}

/** The rows of a table (by id) as [header cell text, cell texts…], and each cell's link (or null). */
export function tableRows(html: string, id: string, part: 'tbody' | 'tfoot' = 'tbody') {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`table ${id} not found`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf(`<${part}>`), table.indexOf(`</${part}>`));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => {
    const cells = [...m[1]!.matchAll(/<t([hd])[^>]*>(.*?)<\/t\1>/gs)].map((c) => c[2]!);
    return {
      head: text(cells[0]!),
      cells: cells.slice(1).map(text),
      links: cells.slice(1).map((c) => /href="([^"]+)"/.exec(c)?.[1]?.replaceAll('&amp;', '&') ?? null),
    };
  });
}

function text(s: string): string {
  return s
    .replace(/<[^>]+>/g, '')
    .replaceAll('&amp;', '&')
    .trim();
}
