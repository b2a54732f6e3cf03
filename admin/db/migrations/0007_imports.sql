-- Import provenance (issue #9, "History must say who really acted"): every import of a file is recorded with the
-- file's name and SHA-256, who imported it, when, and how many rows; every event that import wrote is linked to it,
-- so timelines show "Nhập từ tệp … (bởi …)" instead of presenting the importer as the actor. task_events stays
-- append-only (no column is updated after the fact): the link is its own append-only table, written in the same
-- transaction as the events.
CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  imported_by INTEGER REFERENCES users(id),                     -- null: the command line (npm run import)
  imported_at TEXT NOT NULL,                                    -- instant, ISO 8601 UTC
  rows INTEGER NOT NULL CHECK (rows >= 0),
  tasks INTEGER NOT NULL CHECK (tasks >= 0)
) STRICT;

CREATE TABLE import_events (
  event_id INTEGER PRIMARY KEY REFERENCES task_events(id),
  import_id INTEGER NOT NULL REFERENCES imports(id)
) STRICT;
CREATE INDEX import_events_import ON import_events(import_id);

CREATE TRIGGER imports_no_update BEFORE UPDATE ON imports
BEGIN SELECT RAISE(ABORT, 'imports is append-only'); END;
CREATE TRIGGER import_events_no_update BEFORE UPDATE ON import_events
BEGIN SELECT RAISE(ABORT, 'import_events is append-only'); END;
