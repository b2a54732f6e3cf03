/**
 * npm run report through the real script on the fixture province: the files it writes, its summary line, and its
 * refusals (Vietnamese message, exit 1, nothing written).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../admin/db/open.ts';
import { publishPeriod } from '../admin/publication/publish.ts';
import { buildFixtureProvince } from '../admin/test/fixtures/province.ts';
import { readDocx } from '../admin/test/support/report-files.ts';

let dir: string;
let dbPath: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'report.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: dbPath, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tdnv-report-cli-'));
  dbPath = join(dir, 'app.db');
  const db = openDatabase(dbPath);
  buildFixtureProvince(db);
  publishPeriod(db, { period: '2026-03', asOf: '2026-03-31', now: new Date('2026-04-02T03:00:00Z') });
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run report', () => {
  it('writes the public DOCX and PDF of a published month and ends with a summary', async () => {
    const out = join(dir, 'public');
    const r = run(['--period', '2026-03', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Đang dựng DOCX và PDF…');
    expect(r.out).toMatch(
      /^Xong: báo cáo công khai tháng 03\/2026, số liệu đến ngày 31\/03\/2026: giao trong tháng 3, quá hạn 2, 2 tệp trong \d+,\d s\.$/m,
    );
    expect(readdirSync(out).sort()).toEqual([
      'bao-cao-phien-hop-2026-03-cong-khai.docx',
      'bao-cao-phien-hop-2026-03-cong-khai.pdf',
    ]);
    const docx = await readDocx(readFileSync(join(out, 'bao-cao-phien-hop-2026-03-cong-khai.docx')));
    expect(docx.paragraphs.join('\n')).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(readFileSync(join(out, 'bao-cao-phien-hop-2026-03-cong-khai.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('writes the internal PDF alone with --internal --format pdf', () => {
    const out = join(dir, 'internal');
    const r = run(['--period', '2026-03', '--internal', '--format', 'pdf', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Xong: báo cáo nội bộ tháng 03/2026');
    expect(readdirSync(out)).toEqual(['bao-cao-phien-hop-2026-03-noi-bo.pdf']);
  });

  it('refuses bad input in Vietnamese with exit 1 and writes nothing', () => {
    const out = join(dir, 'refused');
    const cases: Array<[string[], string]> = [
      [[], 'Thiếu kỳ báo cáo (--period YYYY-MM)'],
      [['--period', '2026-3'], 'Kỳ báo cáo "2026-3" không hợp lệ'],
      [['--period', '2026-03', '--format', 'xls'], 'Định dạng "xls" không hỗ trợ'],
      [['--period', '2026-02'], 'Kỳ 02/2026 chưa được công bố'],
      [['--period', '2026-03', '--pages', '2'], 'Tham số không hợp lệ'],
    ];
    for (const [args, message] of cases) {
      const r = run([...args, '--out', out]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err, args.join(' ')).toContain(message);
    }
    expect(() => readdirSync(out)).toThrow();
    const missing = run(['--period', '2026-03', '--out', out], { DATABASE_PATH: join(dir, 'none.db') });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('npm run seed');
  });
});
