/**
 * WAL checkpoints in a worker thread (checkpointer.ts): writes on the server's connection no longer fold the log into
 * the database file themselves (the file does not grow while they run, below the backstop), and the worker does it
 * within a few of its ticks; stopping it closes its connection.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './open.ts';
import { startCheckpointer } from './checkpointer.ts';

const tmp = mkdtempSync(join(tmpdir(), 'checkpointer-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('WAL checkpointer', () => {
  it('writes leave the checkpoint to the worker, which does it', async () => {
    const path = join(tmp, 'a.db');
    const db = openDatabase(path, { migrate: false });
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(path).size;
    const checkpointer = startCheckpointer(db, 50);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_000);
    // ≈ 6 MB in 300 commits: well past the 1,000 pages at which the writer used to checkpoint itself
    const insert = db.prepare('INSERT INTO t VALUES (randomblob(20000))');
    for (let i = 0; i < 300; i++) insert.run();
    // the worker folds the log into the file within a few of its ticks
    const deadline = Date.now() + 10_000;
    while (statSync(path).size < before + 5_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(statSync(path).size).toBeGreaterThan(before + 5_000_000);
    await checkpointer.stop();
    db.close();
  });

  it('the writer does not checkpoint itself any more (no worker running: the file stays as it was)', () => {
    const path = join(tmp, 'b.db');
    const db = openDatabase(path, { migrate: false });
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(path).size;
    // the server's setting, without the thread (stopped at once)
    const checkpointer = startCheckpointer(db, 60_000);
    const insert = db.prepare('INSERT INTO t VALUES (randomblob(20000))');
    for (let i = 0; i < 300; i++) insert.run();
    expect(statSync(path).size).toBe(before);
    void checkpointer.stop();
    db.close();
  });

  it('does nothing for a database in memory', async () => {
    const db = openDatabase(':memory:', { migrate: false });
    const c = startCheckpointer(db);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await c.stop();
    db.close();
  });
});
