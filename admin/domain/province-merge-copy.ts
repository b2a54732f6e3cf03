/**
 * Province merger, the copy (issue 12): every row of the former province (ATTACHed read-only as `src`) written into
 * this database, inside the caller's immediate transaction. Ids are remapped by an offset per table (new id = old id
 * + the largest id here), so every reference moves with one addition and nothing needs a lookup; sectors are matched
 * by code. Every column is copied as it was (the columns come from the schema, so a column added by a later
 * migration travels too) except those re-pointed below. Then the open tasks of mapped agencies move to their
 * successors on the merger day with the same 'reassigned' event an agency merger writes (reorganisationEvent).
 */
import type { DB } from '../db/open.ts';
import { reorganisationEvent } from './agency-reorganisation.ts';
import { appendEvent } from './tasks.ts';
import type { ProvincePlan } from './province-merge-preview.ts';

export interface Offsets {
  agencies: number;
  leaders: number;
  users: number;
  files: number;
  documents: number;
  tasks: number;
  task_events: number;
  task_delegations: number;
  task_internal_steps: number;
  imports: number;
}

const maxId = (db: DB, table: string) =>
  (db.prepare(`SELECT coalesce(max(id), 0) AS n FROM main.${table}`).get() as { n: number }).n;

export function offsetsOf(db: DB): Offsets {
  const o = {} as Record<keyof Offsets, number>;
  for (const t of [
    'agencies',
    'leaders',
    'users',
    'files',
    'documents',
    'tasks',
    'task_events',
    'task_delegations',
    'task_internal_steps',
    'imports',
  ] as const)
    o[t] = maxId(db, t);
  return o;
}

function columnsOf(db: DB, table: string): string[] {
  return (db.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).all(table) as Array<{ name: string }>).map(
    (c) => c.name,
  );
}

/** INSERT INTO main.<table> every column of src.<table>, each as `s.<column>` unless `exprs` says otherwise. */
function copyTable(
  db: DB,
  table: string,
  exprs: Record<string, string>,
  params: Record<string, unknown>,
  into = table,
): number {
  const cols = columnsOf(db, into).filter((c) => c in exprs || columnsOf(db, table).includes(c));
  const select = cols.map((c) => exprs[c] ?? `s."${c}"`).join(', ');
  const sql = `INSERT INTO main."${into}" (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${select} FROM src."${table}" s`;
  return db.prepare(sql).run(params).changes;
}

export interface CopyInput {
  plan: ProvincePlan;
  provinceId: number;
  /** new storage name of each source file id (the bytes are already in place, province-merge.ts) */
  storageNames: Map<number, string>;
  onProgress?: (msg: string) => void;
}

export interface CopyResult {
  offsets: Offsets;
  tasksMoved: number;
}

/** Copies everything; MUST run inside the caller's immediate transaction with `src` attached. */
export function copyProvince(db: DB, input: CopyInput): CopyResult {
  if (!db.inTransaction) throw new Error('copyProvince must run inside a transaction');
  const { plan, provinceId } = input;
  const o = offsetsOf(db);
  const p = {
    // bound as integers: a JS number is bound as REAL, which json_set and json_array would write as "118.0"
    ...Object.fromEntries(Object.entries(o).map(([k, v]) => [`o_${k}`, BigInt(v)])),
    prefix: plan.prefix ?? '',
    lp: (plan.prefix ?? '').toLowerCase(),
    province: provinceId,
  };
  const progress = input.onProgress ?? (() => {});
  const code = plan.prefix ? `@prefix || '-' || s.code` : 's.code';
  const plus = (col: string, table: keyof Offsets) => `s.${col} + @o_${table}`;

  copyTable(db, 'agencies', { id: plus('id', 'agencies'), code, successor_id: plus('successor_id', 'agencies') }, p);
  // the names each unit carried, by date (migration 0013): the former province's timelines keep their names
  copyTable(db, 'agency_names', { agency_id: plus('agency_id', 'agencies') }, p);
  copyTable(db, 'leaders', { id: plus('id', 'leaders'), active: '0' }, p);
  db.prepare(
    'INSERT INTO main.sectors (code, name) SELECT code, name FROM src.sectors WHERE code NOT IN (SELECT code FROM main.sectors) ORDER BY id',
  ).run();
  db.exec(`CREATE TEMP TABLE pm_sector (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
    INSERT INTO temp.pm_sector SELECT s.id, m.id FROM src.sectors s JOIN main.sectors m ON m.code = s.code;
    CREATE TEMP TABLE pm_file (old INTEGER PRIMARY KEY, storage TEXT NOT NULL);`);
  const insFile = db.prepare('INSERT INTO temp.pm_file (old, storage) VALUES (?, ?)');
  for (const [old, storage] of input.storageNames) insFile.run(old, storage);
  // accounts of the former province are kept so every event keeps its actor, but locked: the administrator opens
  // the ones that continue here (least privilege)
  copyTable(
    db,
    'users',
    {
      id: plus('id', 'users'),
      username: plan.prefix ? `@lp || '.' || s.username` : 's.username',
      agency_id: plus('agency_id', 'agencies'),
      disabled: '1',
      must_change_password: '1',
    },
    p,
  );
  copyTable(
    db,
    'files',
    {
      id: plus('id', 'files'),
      storage_name: '(SELECT storage FROM temp.pm_file WHERE old = s.id)',
      uploaded_by: plus('uploaded_by', 'users'),
    },
    p,
  );
  // a number this province already used on the same day gets the prefix in brackets (UNIQUE (number, issued_on))
  copyTable(
    db,
    'documents',
    {
      id: plus('id', 'documents'),
      number: `CASE WHEN EXISTS (SELECT 1 FROM main.documents m WHERE m.number = s.number AND m.issued_on = s.issued_on)
        THEN s.number || ' [' || ${plan.prefix ? '@prefix' : "'tỉnh cũ'"} || ']' ELSE s.number END`,
      signer_id: plus('signer_id', 'leaders'),
      file_id: plus('file_id', 'files'),
      created_by: plus('created_by', 'users'),
    },
    p,
  );
  progress(`đã chép ${plan.rows.documents} văn bản`);
  copyTable(
    db,
    'tasks',
    {
      id: plus('id', 'tasks'),
      code,
      document_id: plus('document_id', 'documents'),
      lead_agency_id: plus('lead_agency_id', 'agencies'),
      leader_id: plus('leader_id', 'leaders'),
      specialist_id: plus('specialist_id', 'users'),
      sector_id: '(SELECT new FROM temp.pm_sector WHERE old = s.sector_id)',
      search_text: plan.prefix ? `@lp || '-' || s.search_text` : 's.search_text',
      agency_history: `CASE WHEN s.agency_history IS NULL THEN NULL ELSE (SELECT json_group_array(json_array(
        json_extract(j.value, '$[0]') + @o_agencies, json_extract(j.value, '$[1]')) ORDER BY j.key)
        FROM json_each(s.agency_history) j) END`,
    },
    p,
  );
  copyTable(
    db,
    'task_coordinators',
    { task_id: plus('task_id', 'tasks'), agency_id: plus('agency_id', 'agencies') },
    p,
  );
  progress(`đã chép ${plan.rows.tasks} nhiệm vụ`);
  const agencyKey = (k: string) =>
    `CASE WHEN json_type(s.data, '$.${k}') IN ('integer', 'real') THEN json_extract(s.data, '$.${k}') + @o_agencies END`;
  copyTable(
    db,
    'task_events',
    {
      id: plus('id', 'task_events'),
      task_id: plus('task_id', 'tasks'),
      actor_user_id: plus('actor_user_id', 'users'),
      agency_id: plus('agency_id', 'agencies'),
      data: `CASE WHEN s.kind <> 'reassigned' THEN s.data ELSE
        json_set(s.data, '$.toAgencyId', coalesce(${agencyKey('toAgencyId')}, json_extract(s.data, '$.toAgencyId')),
                         '$.fromAgencyId', coalesce(${agencyKey('fromAgencyId')}, json_extract(s.data, '$.fromAgencyId'))) END`,
    },
    p,
  );
  progress(`đã chép ${plan.rows.task_events} sự kiện`);
  copyTable(db, 'event_files', { event_id: plus('event_id', 'task_events'), file_id: plus('file_id', 'files') }, p);
  copyTable(
    db,
    'task_delegations',
    {
      id: plus('id', 'task_delegations'),
      task_id: plus('task_id', 'tasks'),
      user_id: plus('user_id', 'users'),
      agency_id: plus('agency_id', 'agencies'),
      delegated_by: plus('delegated_by', 'users'),
    },
    p,
  );
  copyTable(
    db,
    'task_internal_steps',
    {
      id: plus('id', 'task_internal_steps'),
      task_id: plus('task_id', 'tasks'),
      agency_id: plus('agency_id', 'agencies'),
      actor_user_id: plus('actor_user_id', 'users'),
      event_id: plus('event_id', 'task_events'),
    },
    p,
  );
  copyTable(
    db,
    'internal_step_files',
    { step_id: plus('step_id', 'task_internal_steps'), file_id: plus('file_id', 'files') },
    p,
  );
  copyTable(db, 'imports', { id: plus('id', 'imports'), imported_by: plus('imported_by', 'users') }, p);
  copyTable(
    db,
    'import_events',
    { event_id: plus('event_id', 'task_events'), import_id: plus('import_id', 'imports') },
    p,
  );
  copyTable(db, 'publications', { id: 'NULL', province_id: '@province', source_id: 's.id' }, p, 'former_publications');

  // which rows came from the former province, and their id there
  for (const [kind, table, off] of [
    ['leader', 'leaders', o.leaders],
    ['agency', 'agencies', o.agencies],
    ['user', 'users', o.users],
    ['document', 'documents', o.documents],
    ['file', 'files', o.files],
    ['task', 'tasks', o.tasks],
  ] as const) {
    db.prepare(
      `INSERT INTO main.former_province_rows (kind, row_id, province_id, source_id)
       SELECT ?, id + ?, ?, id FROM src.${table} ORDER BY id`,
    ).run(kind, off, provinceId);
  }
  db.exec('DROP TABLE temp.pm_sector; DROP TABLE temp.pm_file;');

  const tasksMoved = moveOpenTasks(db, plan, o.agencies);
  progress(`đã chuyển ${tasksMoved} nhiệm vụ đang thực hiện sang đơn vị kế thừa`);
  return { offsets: o, tasksMoved };
}

/**
 * Mapped agencies: their open tasks move to the successor on the merger day (appendEvent, so the rules and the
 * derived columns are the usual ones), coordination on open tasks passes to it, and the historical unit is marked
 * merged into it, as agency-reorganisation.ts mergeAgency does for one agency.
 */
function moveOpenTasks(db: DB, plan: ProvincePlan, agencyOffset: number): number {
  let moved = 0;
  const openOf = db.prepare('SELECT id FROM main.tasks WHERE lead_agency_id = ? AND settled_on IS NULL ORDER BY id');
  const dropCoordinator = db.prepare('DELETE FROM main.task_coordinators WHERE task_id = ? AND agency_id = ?');
  const coordinated = db.prepare(
    `SELECT tc.task_id, t.lead_agency_id,
       EXISTS (SELECT 1 FROM main.task_coordinators x WHERE x.task_id = tc.task_id AND x.agency_id = @to) AS has_to
     FROM main.task_coordinators tc JOIN main.tasks t ON t.id = tc.task_id
     WHERE tc.agency_id = @from AND t.settled_on IS NULL`,
  );
  const moveCoordinator = db.prepare(
    'UPDATE main.task_coordinators SET agency_id = ? WHERE task_id = ? AND agency_id = ?',
  );
  const markMerged = db.prepare('UPDATE main.agencies SET successor_id = ?, merged_on = ? WHERE id = ?');
  for (const a of plan.agencies) {
    if (!a.successor) continue;
    const from = { id: a.sourceId + agencyOffset, name: a.name };
    const event = reorganisationEvent(from, a.successor, plan.on);
    for (const t of openOf.all(from.id) as Array<{ id: number }>) {
      appendEvent(db, t.id, { ...event, actorUserId: null, agencyId: a.successor.id });
      dropCoordinator.run(t.id, a.successor.id);
      moved++;
    }
    const rows = coordinated.all({ from: from.id, to: a.successor.id }) as Array<{
      task_id: number;
      lead_agency_id: number;
      has_to: number;
    }>;
    for (const c of rows) {
      if (c.lead_agency_id === a.successor.id || c.has_to) dropCoordinator.run(c.task_id, from.id);
      else moveCoordinator.run(a.successor.id, c.task_id, from.id);
    }
    markMerged.run(a.successor.id, plan.on, from.id);
  }
  return moved;
}
