import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DB } from '../db/open.ts';
import type { ImportRow } from './columns.ts';
import { counts, setup } from './import-test-db.ts';
import { runImportJob } from './run-job.ts';

const rows = (n: number): ImportRow[] =>
  Array.from({ length: n }, (_, i) => ({
    row: i + 2,
    values: {
      title: `Nhiệm vụ nhập số ${i + 1}`,
      leadAgency: 'STC',
      assignedOn: '2026-01-05',
      deadline: '2026-02-10',
      reportedOn: '2026-02-01',
      confirmedOn: '2026-02-03',
    },
  }));

/** Counts the turns of this thread's event loop until `p` settles: 0 when the work ran on this thread. */
async function turnsWhile<T>(p: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const value = await p;
  done = true;
  return { value, turns };
}

describe('runImportJob: checking and writing an import off the server thread', () => {
  let dir = '';
  let db: DB | null = null;
  afterEach(() => {
    db?.close();
    db = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('writes a file database from a worker thread while this thread keeps turning, with its audit row', async () => {
    dir = mkdtempSync(join(tmpdir(), 'import-job-'));
    db = setup(join(dir, 'app.db'));
    const job = {
      rows: rows(1500),
      options: {
        today: '2026-11-30',
        at: new Date('2026-11-30T02:00:00Z'),
        source: { fileName: 'a.csv', sha256: 'f'.repeat(64) },
      },
      audit: {
        at: new Date('2026-11-30T02:00:00Z'),
        actor: null,
        targetType: 'import',
        details: { fileName: 'a.csv' },
      },
    };
    const check = await turnsWhile(runImportJob(db, { ...job, options: { ...job.options, dryRun: true } }));
    expect(check.value).toMatchObject({ valid: 1500, imported: 0, errors: [] });
    expect(counts(db)).toMatchObject({ tasks: 0 });

    const { value, turns } = await turnsWhile(runImportJob(db, job));
    expect(value).toMatchObject({ imported: 1500, errors: [] });
    // the server thread was free while the worker wrote (in process it would not turn once)
    expect(turns).toBeGreaterThan(1);
    // this thread's own connection sees the committed import at once
    expect(counts(db)).toMatchObject({ tasks: 1500, events: 4500 });
    const audit = db.prepare("SELECT details FROM audit_log WHERE action = 'task.import'").pluck().all() as string[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!)).toMatchObject({ fileName: 'a.csv', imported: 1500, importId: value.importId });
    expect(db.prepare('SELECT count(*) FROM import_events WHERE import_id = ?').pluck().get(value.importId)).toBe(4500);
  });

  it('runs in process for an in-memory database (which no other thread can open)', async () => {
    db = setup();
    const { value, turns } = await turnsWhile(runImportJob(db, { rows: rows(20), options: { today: '2026-11-30' } }));
    expect(value.imported).toBe(20);
    expect(turns).toBe(0);
  });

  it('a refused import in the worker writes nothing but its failure audit row', async () => {
    dir = mkdtempSync(join(tmpdir(), 'import-job-'));
    db = setup(join(dir, 'app.db'));
    const bad = rows(3);
    bad[1] = { row: 3, values: { ...bad[1]!.values, leadAgency: 'KHONG-CO' } };
    const r = await runImportJob(db, {
      rows: bad,
      options: { today: '2026-11-30' },
      audit: { at: new Date(), actor: null, details: {} },
    });
    expect(r.imported).toBe(0);
    expect(r.errors[0]?.row).toBe(3);
    expect(counts(db)).toMatchObject({ tasks: 0, events: 0 });
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'task.import_failed'").pluck().get()).toBe(1);
  });
});
