/**
 * The site speaks the period language: a release built from a stored version-1 snapshot (February, rules version 1)
 * and a version-2 one (March) shows the year to date and the month first, the backlog, then the cumulative figure;
 * the agencies newly overdue in a sortable table with its CSV; each report with the rules that produced it; an
 * agency merged by the cutoff pointing to its successor; the methodology with the rules' versions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DB } from '../db/open.ts';
import { RULES_TEXT, RULES_VERSION, RULES_VERSIONS } from '../domain/counts.ts';
import { appendEvent, createTask } from '../domain/tasks.ts';
import { buildFixtureProvince, CANARY, EXPECTED_V2, FIXTURE_PERIODS } from '../test/fixtures/province.ts';
import { storeLegacySnapshot } from '../test/fixtures/stored-snapshots.ts';
import { publishPeriod } from './publish.ts';
import { recordReorganisationNote } from '../domain/reorganisation-notes.ts';
import { buildSite } from './site-build.ts';

let tmp: string;
let db: DB;
let siteDir: string;

const page = (path: string) => readFileSync(join(siteDir, 'current', path), 'utf8');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const testId = (html: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'site-periods-'));
  siteDir = join(tmp, 'site');
  db = openDatabase(join(tmp, 'app.db'));
  buildFixtureProvince(db);
  // a former department: one task done in 2025 (cumulative only, in neither 2026 view), merged into SXD on 01/03/2026
  const sxd = (db.prepare("SELECT id FROM agencies WHERE code = 'SXD'").get() as { id: number }).id;
  const old = Number(
    db
      .prepare("INSERT INTO agencies (code, name, kind) VALUES ('STTTT', 'Sở Thông tin và Truyền thông', 'department')")
      .run().lastInsertRowid,
  );
  const t = createTask(db, {
    code: 'NV-2025-00001',
    title: 'Chuyển đổi số năm 2025',
    leadAgencyId: old,
    assignedOn: '2025-10-01',
    deadline: '2025-11-30',
  });
  appendEvent(db, t, { kind: 'reported', occurredOn: '2025-11-20' });
  appendEvent(db, t, { kind: 'confirmed', occurredOn: '2025-11-25' });
  db.prepare('UPDATE agencies SET successor_id = ?, merged_on = ? WHERE id = ?').run(sxd, '2026-03-01', old);
  // February as published before the period statistics (schema 1, rules 1); March published now
  storeLegacySnapshot(db, '2026-02');
  // a reorganisation recorded late within February: March's report says the figures were adjusted (issue 12)
  recordReorganisationNote(db, { agencyId: old, on: '2026-02-28', text: 'ghi nhận muộn', at: new Date() });
  publishPeriod(db, { ...FIXTURE_PERIODS[1], now: new Date('2026-04-05T03:00:00Z') });
  await buildSite({ db, siteDir, trigger: 'test', forbidden: [CANARY, CANARY.toLowerCase()] });
}, 180_000);

afterAll(() => {
  db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('site of a version-2 snapshot after a version-1 one', () => {
  it('home: the year to date and the month first, then the backlog, the cumulative figure last, with rules 2', () => {
    const home = page('index.html');
    const t = text(home);
    expect(t).toContain(`Số liệu kỳ này được tính theo quy tắc phiên bản ${RULES_VERSION}`);
    const e = EXPECTED_V2['2026-03'];
    expect(testId(home, 'ytd-total')).toBe(String(e.totals.total));
    expect(testId(home, 'ytd-completedOnTime')).toBe('1');
    expect(testId(home, 'ytd-completedLate')).toBe('1');
    expect(testId(home, 'ytd-inProgress')).toBe('3');
    expect(testId(home, 'ytd-overdue')).toBe('2');
    expect(testId(home, 'ytd-completionRate')).toBe('50,0%');
    expect(t).toContain('Tỷ lệ hoàn thành (2/4 nhiệm vụ đến hạn)');
    expect(testId(home, 'month-total')).toBe(String(e.month.assigned.total));
    expect(testId(home, 'month-completionRate')).toBe('—');
    expect(home).toContain('data-testid="backlog-none"');
    // cumulative: the 2025 task of the merged department counts here only
    expect(testId(home, 'total')).toBe('9');
    expect(testId(home, 'completedOnTime')).toBe('2');
    const order = [
      'Từ đầu năm đến 31/03/2026',
      'Tháng 3/2026',
      'Tồn đọng từ các năm trước',
      'Lũy kế từ khi có số liệu',
    ];
    const at = order.map((h) => home.indexOf(`>${h}</h2>`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('home: newly overdue agencies in a sortable table that is its chart, each with its CSV', () => {
    const home = page('index.html');
    const table = /<table[^>]*data-testid="newly-overdue"[^>]*>[\s\S]*?<\/table>/.exec(home)?.[0] ?? '';
    expect(table).toContain('data-sortable');
    expect(table).toContain('data-chart="hbar"');
    expect(table).toMatch(/data-sort="number"/);
    expect(text(table)).toContain('Sở Xây dựng 1 1 2');
    expect(home).toContain('src="/js/sort.js"');
    expect(home).toContain('href="/du-lieu-mo/2026-03/moi-qua-han.csv"');
    expect(home).toContain('href="/du-lieu-mo/2026-03/so-lieu.csv"');
    const raw = page('du-lieu-mo/2026-03/moi-qua-han.csv');
    expect(raw.startsWith('\uFEFF')).toBe(true); // UTF-8 BOM, so Excel reads Vietnamese (trim() would drop it)
    const csv = raw.trim().split('\r\n');
    expect(csv[0]).toBe('ky,tu_ngay,den_ngay,ma_co_quan,co_quan,so_nhiem_vu_moi_qua_han,con_qua_han');
    expect(csv.slice(1)).toEqual(['2026-03,2026-03-01,2026-03-31,SXD,Sở Xây dựng,1,1']);
    const figures = page('du-lieu-mo/2026-03/so-lieu.csv').trim().split('\r\n');
    expect(figures[0]).toContain('ky,ngay_chot,phien_ban_quy_tac,pham_vi,tu_ngay,den_ngay,cach_tinh,ma_co_quan');
    const ytd = figures.find((l) =>
      l.startsWith(`2026-03,2026-03-31,${RULES_VERSION},tu_dau_nam,2026-01-01,2026-03-31,giao_trong_ky,,`),
    );
    expect(ytd).toContain(',8,1,1,3,2,1,');
    // February (version 1): its figures file has the cumulative view only, and no newly-overdue file
    expect(page('du-lieu-mo/2026-02/so-lieu.csv')).toContain('2026-02,2026-02-28,1,ngay_chot,,2026-02-28,luy_ke,,');
    expect(() => page('du-lieu-mo/2026-02/moi-qua-han.csv')).toThrow();
  });

  it('reports say which rules produced them; the version-1 one keeps its figures', () => {
    const feb = text(page('bao-cao/2026-02/index.html'));
    expect(feb).toContain(`Số liệu kỳ này được tính theo quy tắc phiên bản 1 (${RULES_VERSIONS[1]!.summary})`);
    expect(testId(page('bao-cao/2026-02/index.html'), 'total')).toBe('6');
    const mar = page('bao-cao/2026-03/index.html');
    expect(text(mar)).toContain(`Số liệu kỳ này được tính theo quy tắc phiên bản ${RULES_VERSION}`);
    expect(text(mar)).toContain('Số liệu theo ba cách tính');
    expect(mar).toContain('data-testid="newly-overdue"');
    expect(testId(mar, 'report-note')).toBe(
      'Số liệu điều chỉnh do sắp xếp tổ chức: ghi nhận muộn. Các kỳ đã công bố giữ nguyên.',
    );
  });

  it('agency pages: the three views; a merged agency names and links its successor and is not ranked', () => {
    const stc = page('co-quan/stc/index.html');
    expect(testId(stc, 'ytd-total')).toBe('4');
    expect(testId(stc, 'ytd-completionRate')).toBe('100,0%');
    expect(testId(stc, 'month-total')).toBe('1');
    const old = page('co-quan/stttt/index.html');
    expect(text(old)).toContain('Cơ quan đã hợp nhất vào Sở Xây dựng từ ngày 01/03/2026');
    expect(old).toContain('href="/co-quan/sxd/"');
    expect(text(old)).toContain('Không xếp hạng: cơ quan không còn hoạt động');
    expect(text(page('co-quan/index.html'))).toContain('đã hợp nhất vào Sở Xây dựng');
    // the successor lists its predecessors with links (issue 12)
    const sxd = page('co-quan/sxd/index.html');
    expect(text(sxd)).toContain(
      'Các cơ quan đã hợp nhất vào Sở Xây dựng Sở Thông tin và Truyền thông , từ ngày 01/03/2026',
    );
    expect(sxd).toContain('href="/co-quan/stttt/"');
  });

  it('methodology: the rules of the version in force, and which periods used which version', () => {
    const m = page('phuong-phap/index.html');
    expect(text(m)).toContain(RULES_TEXT.due);
    expect(text(m)).toContain(RULES_TEXT.periodBacklog);
    const current = new RegExp(`data-testid="rules-${RULES_VERSION}-periods"[\\s\\S]*?<\\/p>`);
    expect(text(current.exec(m)?.[0] ?? '')).toContain('Các kỳ đã công bố theo phiên bản này');
    expect(text(current.exec(m)?.[0] ?? '')).toContain('Tháng 3/2026');
    // the working-day rule and the calendar history rule (issue 11)
    expect(text(m)).toContain(RULES_TEXT.workingDays);
    expect(text(m)).toContain(RULES_TEXT.calendarHistory);
    expect(text(/data-testid="rules-1-periods"[\s\S]*?<\/p>/.exec(m)?.[0] ?? '')).toContain('Tháng 2/2026');
  });
});

describe('site built only from stored version-1 snapshots (before any new publication)', () => {
  let oldTmp: string;
  let oldDb: DB;
  beforeAll(async () => {
    oldTmp = mkdtempSync(join(tmpdir(), 'site-v1-'));
    oldDb = openDatabase(join(oldTmp, 'app.db'));
    buildFixtureProvince(oldDb);
    storeLegacySnapshot(oldDb, '2026-02');
    storeLegacySnapshot(oldDb, '2026-03');
    await buildSite({ db: oldDb, siteDir: join(oldTmp, 'site'), trigger: 'test', forbidden: [CANARY] });
  }, 180_000);
  afterAll(() => {
    oldDb?.close();
    rmSync(oldTmp, { recursive: true, force: true });
  });
  const oldPage = (path: string) => readFileSync(join(oldTmp, 'site', 'current', path), 'utf8');

  it('renders them with their own figures and says rules version 1', () => {
    const home = oldPage('index.html');
    expect(text(home)).toContain(`Số liệu kỳ này được tính theo quy tắc phiên bản 1 (${RULES_VERSIONS[1]!.summary})`);
    // rules version 1 as published then: T10 overdue, 5 due, overdue rate (late + overdue) ÷ due
    expect(testId(home, 'overdue')).toBe('3');
    expect(testId(home, 'overdueRate')).toBe('80,0%');
    expect(home).not.toContain('data-testid="ytd"');
    expect(text(oldPage('co-quan/stc/index.html'))).toContain('quy tắc phiên bản 1');
    expect(oldPage('du-lieu-mo/2026-03/so-lieu.csv')).toContain(',1,ngay_chot,');
  });
});
