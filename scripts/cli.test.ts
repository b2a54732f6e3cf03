import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../admin/db/open.ts';
import { computePeriodStats, periodStatsJson } from '../admin/domain/period-stats.ts';
import { findAgencyByCode } from '../admin/domain/references.ts';
import { computeStats } from '../admin/domain/stats.ts';

let dir: string;
let dbPath: string;

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', script), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: dbPath, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tdnv-cli-'));
  dbPath = join(dir, 'app.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run seed / stats', () => {
  it('stats without a database says how to create one (exit 1)', () => {
    const r = run('stats.ts', ['--as-of', '2026-06-30']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('npm run seed');
  });

  it('seeds, then refuses a non-empty database unless --reset', () => {
    const first = run('seed.ts', ['--years', '1', '--seed', 'cli', '--end', '2026-06-30']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/năm 2026: [\d.]+ nhiệm vụ/);
    expect(first.out).toMatch(/^Xong: 61 đơn vị, .* nhiệm vụ, .* sự kiện \(01\/07\/2025 – 30\/06\/2026\)/m);
    const again = run('seed.ts', ['--years', '1', '--seed', 'cli', '--end', '2026-06-30']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('--reset');
    expect(run('seed.ts', ['--years', 'abc']).code).toBe(2);
    const reset = run('seed.ts', ['--years', '1', '--seed', 'cli', '--end', '2026-06-30', '--reset']);
    expect(reset.code, reset.err).toBe(0);
  });

  it('prints the JSON the issue specifies, equal to computeStats', () => {
    const r = run('stats.ts', ['--as-of', '2026-03-31', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      asOf: string;
      totals: Record<string, unknown>;
      agencies: Array<Record<string, unknown>>;
    };
    expect(json.asOf).toBe('2026-03-31');
    for (const k of [
      'total',
      'completedOnTime',
      'completedLate',
      'inProgress',
      'overdue',
      'noDeadline',
      'awaitingConfirmation',
      'onTimeRate',
      'overdueRate',
    ]) {
      expect(json.totals).toHaveProperty(k);
      expect(json.agencies[0]).toHaveProperty(k);
    }
    expect(json.agencies[0]).toHaveProperty('code');
    expect(json.agencies[0]).toHaveProperty('name');
    const db = openDatabase(dbPath, { readonly: true });
    const expected = computeStats(db, '2026-03-31');
    db.close();
    expect(json.totals.total).toBe(expected.totals.total);
    expect(json.totals.onTimeRate).toBe(expected.totals.onTimeRate);
    expect(json.agencies.length).toBe(expected.agencies.length);
  });

  it('filters one agency and prints an aligned Vietnamese table', () => {
    const one = run('stats.ts', ['--as-of', '2026-03-31', '--agency', 'stc', '--format', 'json']);
    const json = JSON.parse(one.out) as { agencies: Array<{ code: string; total: number }>; totals: { total: number } };
    expect(json.agencies.map((a) => a.code)).toEqual(['STC']);
    expect(json.totals.total).toBe(json.agencies[0]!.total);
    const table = run('stats.ts', ['--as-of', '31/03/2026']);
    expect(table.code).toBe(0);
    expect(table.out).toContain('tính đến ngày 31/03/2026');
    const lines = table.out.split('\n').filter((l) => /^(STC|SNV|CTHUE) /.test(l));
    expect(lines).toHaveLength(3);
    const col = (l: string) => {
      const m = /\d[\d.]*/.exec(l)!; // numbers are right-aligned: the first one ends at the same place on every row
      return m.index + m[0].length;
    };
    expect(new Set(lines.map(col)).size).toBe(1);
    expect(table.out).toContain('TỔNG CỘNG');
  });

  it('refuses a bad date, an unknown agency and an unknown format with exit 1 (issue 10: bad input exits 1)', () => {
    for (const args of [
      ['--as-of', '2026-02-30'],
      ['--as-of', 'hôm qua'],
      ['--agency', 'XYZ'],
      ['--format', 'xml'],
      ['--nope'],
    ]) {
      const r = run('stats.ts', args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.length).toBeGreaterThan(10);
    }
  });

  it('stats for a period: the JSON of computePeriodStats, and a table with the three views', () => {
    const r = run('stats.ts', ['--from', '2026-04-01', '--to', '2026-06-30', '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    const db = openDatabase(dbPath, { readonly: true });
    const expected = periodStatsJson(computePeriodStats(db, { from: '2026-04-01', to: '2026-06-30' }), 'Quý II/2026');
    const stc = findAgencyByCode(db, 'STC')!.id;
    const one = computePeriodStats(db, { from: '2026-04-01', to: '2026-06-30', asOf: '2026-05-15', agencyId: stc });
    db.close();
    expect(JSON.parse(r.out)).toEqual(expected);
    expect(expected.assigned.totals.total).toBeGreaterThan(0);
    expect(expected.backlog.openAtStart).toBeGreaterThan(0);
    const filtered = run('stats.ts', [
      '--from',
      '01/04/2026',
      '--to',
      '30/06/2026',
      '--as-of',
      '2026-05-15',
      '--agency',
      'stc',
      '--format',
      'json',
    ]);
    expect(filtered.code, filtered.err).toBe(0);
    expect(JSON.parse(filtered.out)).toEqual(periodStatsJson(one, 'Quý II/2026'));
    const table = run('stats.ts', ['--from', '2026-04-01', '--to', '2026-06-30']);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toContain('Quý II/2026 (01/04/2026 – 30/06/2026), tính đến ngày 30/06/2026');
    for (const row of ['Giao trong kỳ', 'Tồn đọng từ kỳ trước', 'Lũy kế', 'Tồn đọng đầu kỳ:'])
      expect(table.out).toContain(row);
  });

  it('refuses a bad period with a Vietnamese message and exit 1', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--from', '2026-06-30', '--to', '2026-04-01'], /--from: Ngày đầu kỳ \(30\/06\/2026\) sau ngày cuối kỳ/],
      [['--from', '2099-01-01', '--to', '2099-01-31'], /--to: Ngày chốt số liệu \(31\/01\/2099\) sau hôm nay/],
      [['--from', '2020-01-01', '--to', '2020-01-31'], /trước ngày giao nhiệm vụ đầu tiên/],
      [['--from', '2026-04-01', '--to', '2026-06-30', '--as-of', '2026-07-01'], /--as-of: .*phải nằm trong kỳ/],
      [
        ['--from', '2026-04-01', '--to', '2026-06-30', '--agency', 'XYZ'],
        /Không có đơn vị mã "XYZ"[\s\S]*Các mã đơn vị hiện có/,
      ],
      [
        ['--from', '2026-04-01', '--to', '2026-06-30', '--leader', '999'],
        /Không có lãnh đạo mã số "999"[\s\S]*Các lãnh đạo: 1 \(/,
      ],
      [['--from', '2026-04-01'], /--to: Thiếu ngày cuối kỳ/],
      [['--from', '2026-13-01', '--to', '2026-06-30'], /Ngày đầu kỳ "2026-13-01" không hợp lệ/],
      [['--leader', '1'], /--leader chỉ dùng cùng kỳ báo cáo/],
    ];
    for (const [args, message] of cases) {
      const r = run('stats.ts', args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toMatch(message);
      expect(r.out).toBe('');
    }
  });

  it('import: dry run, import, then the same file again is refused row by row (exit 1)', () => {
    const file = join('data', 'demo', 'import-example.csv');
    const dry = run('import.ts', ['--file', file, '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Tệp hợp lệ: 6 nhiệm vụ');
    const ok = run('import.ts', ['--file', file]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('Đã nhập 6 nhiệm vụ');
    const again = run('import.ts', ['--file', file]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^\s+2 {2}Mã nhiệm vụ "NV-2025-90001" đã có trong hệ thống\./m);
    expect(again.err).toContain('Không nhập gì');
    expect(run('import.ts', ['--file', 'khong-co.csv']).code).toBe(2);
    expect(run('import.ts', []).code).toBe(2);
  });

  it('migrate reports the version', () => {
    const r = run('migrate.ts', []);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/phiên bản mới nhất \d+/);
  });
});
