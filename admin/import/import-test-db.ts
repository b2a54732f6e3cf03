/** Test database for the import tests: the real migrations and the demo province's agencies, leaders, sectors. */
import { openDatabase, type DB } from '../db/open.ts';
import { DEMO_AGENCIES, DEMO_LEADERS, DEMO_SECTORS } from '../demo/province.ts';

/** `path`: a database file (a worker thread can open it too); default in memory. */
export function setup(path = ':memory:'): DB {
  const d = openDatabase(path);
  DEMO_AGENCIES.forEach((a, i) =>
    d.prepare('INSERT INTO agencies (id, code, name, kind) VALUES (?, ?, ?, ?)').run(i + 1, a.code, a.name, a.kind),
  );
  const stc = d.prepare("SELECT id FROM agencies WHERE code = 'STC'").pluck().get();
  d.prepare("UPDATE agencies SET successor_id = ?, merged_on = '2025-03-01' WHERE code = 'SKHDT'").run(stc);
  DEMO_LEADERS.forEach((l, i) =>
    d.prepare('INSERT INTO leaders (id, name, title) VALUES (?, ?, ?)').run(i + 1, l.name, l.title),
  );
  DEMO_SECTORS.forEach((s, i) =>
    d.prepare('INSERT INTO sectors (id, code, name) VALUES (?, ?, ?)').run(i + 1, s.code, s.name),
  );
  return d;
}

export function counts(d: DB) {
  return d
    .prepare(
      'SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM task_events) AS events, (SELECT count(*) FROM documents) AS documents',
    )
    .get();
}
