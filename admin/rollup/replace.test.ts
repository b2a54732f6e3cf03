/**
 * The roll-up's output folder is replaced by renames only (index.ts replaceFolder): deleting the previous roll-up
 * in place, file by file, could stop midway (a killed process, a file in use) and leave a server reading half a
 * site. Here deleting anything at the served path fails after removing one file, as such a stop would: the new
 * roll-up must still be there whole.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Fs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/open.ts';
import { generateProvince } from '../demo/generate.ts';
import { writeOpenData } from '../demo/national.ts';
import { publishMonthEnds } from '../publication/publish.ts';
import { openSource, runRollup, type Source } from './index.ts';

const guard = vi.hoisted(() => ({ served: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const rmSync: typeof fs.rmSync = (path, options) => {
    if (guard.served !== null && String(path) === guard.served) {
      fs.unlinkSync(join(guard.served, 'index.html'));
      throw new Error('EBUSY: stopped while deleting the served roll-up');
    }
    return fs.rmSync(path, options);
  };
  return { ...fs, rmSync, default: { ...fs, rmSync } };
});

let tmp: string;
let sources: Source[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'rollup-replace-'));
  const now = new Date('2026-06-15T04:00:00Z');
  const db = openDatabase(':memory:');
  generateProvince(db, { years: 1, seed: 'replace', endDate: '2026-06-15', now });
  publishMonthEnds(db, { fromPeriod: '2026-04', until: '2026-05-31', now });
  await writeOpenData(db, join(tmp, 'province'), 'http://localhost:4321', join(tmp, 'cache'));
  db.close();
  const r = await openSource(join(tmp, 'province'));
  if (!r.ok) throw new Error(r.message);
  sources = [r.source];
}, 60_000);

afterAll(() => {
  guard.served = null;
  rmSync(tmp, { recursive: true, force: true });
});

describe('replacing a served roll-up', () => {
  it('puts the new roll-up in place whole, never deleting the served folder in place', async () => {
    const out = join(tmp, 'site', 'toan-quoc');
    const first = await runRollup(sources, out);
    expect(first.written).toBe(true);
    unlinkSync(join(out, 'bao-cao', '2026-04', 'index.html')); // so the second run visibly replaced it
    guard.served = out;
    const second = await runRollup(sources, out);
    guard.served = null;
    expect(second.written).toBe(true);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    for (const p of ['2026-04', '2026-05']) expect(existsSync(join(out, 'bao-cao', p, 'index.html')), p).toBe(true);
    // nothing left beside it: the previous copy was renamed aside and then deleted
    expect(readdirSync(join(tmp, 'site'))).toEqual(['toan-quoc']);
  }, 60_000);
});
