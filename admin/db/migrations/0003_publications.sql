-- Publications: frozen, whitelisted public snapshots of one period (DESIGN.md §4). Immutable once written:
-- a correction is a new revision of the same period carrying a note (đính chính); earlier revisions stay readable.
-- The snapshot is stored gzip-compressed; sha256 is the hex SHA-256 of the uncompressed JSON text, so anyone can
-- check a downloaded open-data file against it.
CREATE TABLE publications (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  as_of TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  task_count INTEGER NOT NULL CHECK (task_count >= 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  summary TEXT NOT NULL CHECK (json_valid(summary)),          -- the snapshot without its task list (small)
  json_gz BLOB NOT NULL,
  UNIQUE (period, revision),
  CHECK (revision = 1 OR length(trim(note)) > 0)
) STRICT;

CREATE TRIGGER publications_no_update BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;

-- History of static site builds (admin publish page: progress, history, rollback).
CREATE TABLE site_builds (
  id INTEGER PRIMARY KEY,
  release_id TEXT NOT NULL UNIQUE,
  trigger TEXT NOT NULL CHECK (trigger IN ('cli', 'admin', 'schedule', 'bench', 'test')),
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  finished_at TEXT,
  pid INTEGER,
  publication_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(publication_ids)),
  pages INTEGER,
  files INTEGER,
  duration_ms INTEGER,
  error TEXT
) STRICT;
CREATE INDEX site_builds_started ON site_builds(started_at);
