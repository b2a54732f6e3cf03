-- Issue 12, "Province merger" (admin/domain/province-merge.ts): another province's whole database joined into this one.
-- Imported rows keep their content and get new ids; these tables say which rows came from which former province
-- (and their id there), so history stays attributable: its leaders are the former province's leaders, its agencies
-- historical units (prefixed codes), and its publications the former province's archive, kept apart from this
-- province's periods (the public site still shows only `publications`; see former_publications below).
CREATE TABLE former_provinces (
  id INTEGER PRIMARY KEY,
  prefix TEXT UNIQUE,                                            -- applied to task and agency codes; NULL: none
  name TEXT NOT NULL,                                            -- e.g. 'Tỉnh Bình Định'
  joined_on TEXT NOT NULL CHECK (joined_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  last_day TEXT NOT NULL,                                        -- the day before joined_on: "đến 30/06/2025"
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL CHECK (length(source_sha256) = 64),
  imported_at TEXT NOT NULL,
  counts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(counts))   -- the side-by-side counts printed by the merge
) STRICT;

-- One row per imported leader, agency, user, document, file and task (events follow their task).
CREATE TABLE former_province_rows (
  kind TEXT NOT NULL CHECK (kind IN ('leader', 'agency', 'user', 'document', 'file', 'task')),
  row_id INTEGER NOT NULL,
  province_id INTEGER NOT NULL REFERENCES former_provinces(id),
  source_id INTEGER NOT NULL,
  PRIMARY KEY (kind, row_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX former_province_rows_province ON former_province_rows(province_id, kind);

-- The former province's publications, byte for byte (json_gz and sha256 unchanged, so its downloaded open data still
-- checks), never mixed with this province's periods: UNIQUE (period, revision) holds per province.
CREATE TABLE former_publications (
  id INTEGER PRIMARY KEY,
  province_id INTEGER NOT NULL REFERENCES former_provinces(id),
  source_id INTEGER NOT NULL,
  period TEXT NOT NULL,
  revision INTEGER NOT NULL,
  as_of TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  task_count INTEGER NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  summary TEXT NOT NULL CHECK (json_valid(summary)),
  json_gz BLOB NOT NULL,
  UNIQUE (province_id, period, revision)
) STRICT;
CREATE TRIGGER former_publications_no_update BEFORE UPDATE ON former_publications
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER former_publications_no_delete BEFORE DELETE ON former_publications
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
