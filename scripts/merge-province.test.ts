/**
 * npm run merge-province (issue 12, "Bad input"): every refusal is a Vietnamese message naming the row or code,
 * exit 1, and neither database changes (compared by a dump of every table); a dry run prints the side-by-side counts
 * and writes nothing; then the real merger runs and prints them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../admin/db/open.ts';
import { mergeProvince } from '../admin/domain/province-merge.ts';
import { dumpHash, makeProvincePair, type ProvincePair } from '../admin/test/support/province-pair.ts';

let pair: ProvincePair;
let thisDump: string;
let otherDump: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'merge-province.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_PATH: pair.thisPath, UPLOAD_DIR: pair.thisUploads },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const base = () => ['--from', pair.otherPath, '--prefix', 'BD', '--on', '2025-07-01'];

beforeAll(() => {
  pair = makeProvincePair();
  thisDump = dumpHash(pair.thisPath);
  otherDump = dumpHash(pair.otherPath);
});
afterAll(() => rmSync(pair.dir, { recursive: true, force: true }));

/** Refused with exit 1, the message contains `text`, and nothing was written anywhere. */
function expectRefused(args: string[], text: string | RegExp) {
  const r = run(args);
  expect(r.code, r.out + r.err).toBe(1);
  expect(r.err).toMatch(text);
  expect(r.err).toMatch(/^Không hợp nhất, không ghi gì: /);
  expect(dumpHash(pair.thisPath)).toBe(thisDump);
  expect(dumpHash(pair.otherPath)).toBe(otherDump);
  expect(existsSync(pair.thisUploads) ? readdirSync(pair.thisUploads) : []).toEqual([]);
}

describe('npm run merge-province: bad input', () => {
  it('refuses a database of another schema version', () => {
    const copy = join(pair.dir, 'old-version.db');
    copyFileSync(pair.otherPath, copy);
    const db = openDatabase(copy, { migrate: false });
    db.pragma('user_version = 9');
    db.close();
    expectRefused(['--from', copy, '--prefix', 'BD', '--on', '2025-07-01'], /phiên bản lược đồ 9, tỉnh này [1-9][0-9]/);
  });

  it('refuses colliding task codes without a prefix, naming one', () => {
    expectRefused(
      ['--from', pair.otherPath, '--on', '2025-07-01'],
      /Mã nhiệm vụ NV-\d{4}-\d{5} đã có ở tỉnh này .*--prefix/,
    );
  });

  it('refuses an unknown agency code in the map, naming the line', () => {
    const map = join(pair.dir, 'unknown.csv');
    writeFileSync(map, 'other_code,this_code\nSTC,STC\nSTC-X,SXD\n');
    expectRefused(
      [...base(), '--map', map],
      /Dòng 3 của tệp ánh xạ .*unknown\.csv: mã đơn vị STC-X không có trong cơ sở dữ liệu tỉnh cũ/,
    );
    writeFileSync(map, 'STC,KHONG-CO\n');
    expectRefused([...base(), '--map', map], /Dòng 1 .*: mã đơn vị KHONG-CO không có ở tỉnh này/);
  });

  it('refuses a malformed map line, naming it', () => {
    const map = join(pair.dir, 'bad.csv');
    writeFileSync(map, 'STC,STC\n\nSXD;SXD\n');
    expectRefused([...base(), '--map', map], /Dòng 3 của tệp ánh xạ .*không đúng dạng .*“SXD;SXD”/);
  });

  it('refuses a merger day in the future', () => {
    const next = `${new Date().getUTCFullYear() + 1}-01-01`;
    expectRefused(
      ['--from', pair.otherPath, '--prefix', 'BD', '--on', next],
      new RegExp(`Ngày hợp nhất ${next} ở tương lai`),
    );
  });

  it('refuses the same database as source and target', () => {
    expectRefused(
      ['--from', pair.thisPath, '--prefix', 'BD', '--on', '2025-07-01'],
      /chính là cơ sở dữ liệu của tỉnh này/,
    );
  });

  it('refuses a merger day before the former province’s last events, naming the task', () => {
    expectRefused(
      ['--from', pair.otherPath, '--prefix', 'BD', '--on', '2025-06-01'],
      /Nhiệm vụ NV-\d{4}-\d{5} của tỉnh cũ có sự kiện ngày 2025-06-/,
    );
  });
});

describe('a failure leaves both databases and the upload folder as they were', () => {
  const merge = (dryRun = false) => {
    const db = openDatabase(pair.thisPath);
    try {
      return mergeProvince(
        { db, dbPath: pair.thisPath, uploadDir: pair.thisUploads },
        { fromPath: pair.otherPath, prefix: 'BD', on: '2025-07-01', mapText: pair.mapText },
        { dryRun, today: '2026-12-01', now: new Date() },
      );
    } finally {
      db.close();
    }
  };

  it('refuses a missing upload file, naming it', () => {
    const name = readdirSync(pair.otherUploads)[0]!;
    renameSync(join(pair.otherUploads, name), join(pair.dir, name));
    try {
      expect(merge).toThrow(new RegExp(`Thiếu tệp đính kèm “.+” \\(${name}\\)`));
    } finally {
      renameSync(join(pair.dir, name), join(pair.otherUploads, name));
    }
    expect(dumpHash(pair.thisPath)).toBe(thisDump);
  });

  it('refuses a file whose bytes no longer match its recorded hash, in a dry run and in the merger', () => {
    const name = readdirSync(pair.otherUploads)[0]!;
    const path = join(pair.otherUploads, name);
    const bytes = readFileSync(path);
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff;
    writeFileSync(path, changed);
    try {
      expect(() => merge(true)).toThrow(/không khớp dung lượng hoặc SHA-256/);
      expect(() => merge(false)).toThrow(/không khớp dung lượng hoặc SHA-256/);
    } finally {
      writeFileSync(path, bytes);
    }
    expect(dumpHash(pair.thisPath)).toBe(thisDump);
    expect(readdirSync(pair.thisUploads)).toEqual([]);
  });

  it('rolls back a failure late in the transaction and removes the copied files', () => {
    const db = openDatabase(pair.thisPath);
    db.exec(
      "CREATE TRIGGER fail_late BEFORE UPDATE ON former_provinces BEGIN SELECT RAISE(ABORT, 'late failure'); END",
    );
    db.close();
    try {
      expect(merge).toThrow('late failure');
    } finally {
      const again = openDatabase(pair.thisPath);
      again.exec('DROP TRIGGER fail_late');
      again.close();
    }
    expect(dumpHash(pair.thisPath)).toBe(thisDump);
    expect(dumpHash(pair.otherPath)).toBe(otherDump);
    expect(readdirSync(pair.thisUploads)).toEqual([]);
  });
});

describe('npm run merge-province: dry run, then the merger', () => {
  it('a dry run prints the counts side by side and writes nothing', () => {
    const r = run([...base(), '--map', pair.mapPath, '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Tỉnh này trước\s+Tỉnh cũ\s+Sau \(dự kiến\)/);
    expect(r.out).toMatch(/Chạy thử xong, chưa ghi gì/);
    expect(dumpHash(pair.thisPath)).toBe(thisDump);
    expect(readdirSync(pair.thisUploads)).toEqual([]);
  });

  it('merges and prints the counts after, then refuses the same prefix again', () => {
    const r = run([...base(), '--map', pair.mapPath]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Tỉnh này trước\s+Tỉnh cũ\s+Sau hợp nhất/);
    expect(r.out).toMatch(/Đã hợp nhất Tỉnh Lam Sơn: [\d.]+ nhiệm vụ, [\d.]+ sự kiện, 4 tệp/);
    expect(readdirSync(pair.thisUploads)).toHaveLength(4);
    const again = run([...base(), '--map', pair.mapPath]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/Tiền tố BD đã dùng/);
  });
});
