/**
 * A former province's archive on the public site (issue 12): after a province merger its publications are
 * published apart from this province's periods, under /luu-tru/, each frozen JSON byte for byte with its SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decompressSnapshot } from './snapshot-compression.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/open.ts';
import { mergeProvince } from '../domain/province-merge.ts';
import { makeProvincePair, MERGER_DAY, type ProvincePair } from '../test/support/province-pair.ts';
import { publishPeriod } from './publish.ts';
import { buildSite } from './site-build.ts';

let pair: ProvincePair;
let siteDir: string;
let former: Array<{ period: string; revision: number; sha256: string; json: Buffer }>;
let formerName = '';
const file = (path: string) => readFileSync(join(siteDir, 'current', path));

beforeAll(async () => {
  pair = makeProvincePair();
  const other = openDatabase(pair.otherPath, { readonly: true, migrate: false });
  former = (
    other.prepare('SELECT period, revision, sha256, json_gz FROM publications ORDER BY period').all() as Array<{
      period: string;
      revision: number;
      sha256: string;
      json_gz: Buffer;
    }>
  ).map((r) => ({ ...r, json: decompressSnapshot(r.json_gz) }));
  other.close();
  const db = openDatabase(pair.thisPath);
  mergeProvince(
    { db, dbPath: pair.thisPath, uploadDir: pair.thisUploads },
    { fromPath: pair.otherPath, prefix: 'BD', on: MERGER_DAY, mapText: pair.mapText, mapName: 'map.csv' },
    { dryRun: false, today: '2026-12-01', now: new Date('2026-12-01T03:00:00Z') },
  );
  formerName = db.prepare('SELECT name FROM former_provinces').pluck().get() as string;
  publishPeriod(db, { period: '2025-09', asOf: '2025-09-30', now: new Date('2026-12-01T03:00:00Z') });
  siteDir = join(pair.dir, 'site');
  await buildSite({ db, siteDir, trigger: 'test', siteUrl: 'https://nhiemvu.example.gov.vn' });
  db.close();
}, 180_000);

afterAll(() => rmSync(pair.dir, { recursive: true, force: true }));

describe('the archive of a former province', () => {
  it('has its own page, "đến 30/06/2025", with each of its periods and the frozen JSON', () => {
    expect(former.length).toBeGreaterThan(0);
    const index = file('luu-tru/index.html').toString('utf8');
    expect(index).toContain(`${formerName} (đến 30/06/2025)`);
    const page = file('luu-tru/bd/index.html').toString('utf8');
    expect(page).toContain('data-testid="archive-periods"');
    for (const p of former) {
      const json = file(`luu-tru/bd/${p.period}/ban-${p.revision}.json`);
      expect(json.equals(p.json), p.period).toBe(true);
      expect(createHash('sha256').update(json).digest('hex')).toBe(p.sha256);
      expect(page).toContain(`href="/luu-tru/bd/${p.period}/ban-${p.revision}.json"`);
    }
    // apart from this province's periods: its reports are not this province's reports
    for (const p of former) expect(() => file(`bao-cao/${p.period}/index.html`)).toThrow();
    expect(file('bao-cao/index.html').toString('utf8')).toContain('href="/luu-tru/"');
    expect(file('sitemap-1.xml').toString('utf8')).toContain('/luu-tru/bd/');
  });
});
