/**
 * Import of tasks with their history from another system or a spreadsheet (.csv, .xlsx, .json), one row per task.
 * Used by `npm run import` and by the admin panel's import page; no CLI or HTTP concerns here.
 *
 *   parseImportFile(path | bytes, format)      read-file.ts: a worker thread reads the file, row limit applied
 *     ──▶ rows ──importTasks(db, rows, opts)   validate-rows.ts: every row checked, history replayed by the rules
 *     ──▶ { imported, errors }                 write-tasks.ts: one immediate transaction, provenance recorded
 *
 * A file with any bad row imports nothing. Valid files are written through createTask / appendEvent, i.e. the
 * same rules as every other write. This module is the entry point; the three steps live beside it.
 */
export {
  IMPORT_COLUMNS,
  IMPORT_FIELDS,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  type ImportError,
  type ImportField,
  type ImportFormat,
  type ImportOptions,
  type ImportResult,
  type ImportRow,
  type ImportSource,
  type ParsedFile,
} from './columns.ts';
export { parseImportFile, READ_LIMITS } from './read-file.ts';
export { importFile, importTasks, importTasksAtomically } from './write-tasks.ts';
