-- What the next period's publication reads of this one (issue 14): the change since the previous publication
-- (newly completed, newly overdue, newly extended) needs its period, cut-off day and each task's code, status and
-- extended deadline. Reading them out of the whole stored snapshot (≈ 27 MB of JSON on ten years: decompressed,
-- hashed, parsed and checked) was a fifth of a publication's time; they are kept here, written in the publication's
-- own transaction from the same snapshot, Zstandard-compressed JSON with the SHA-256 of its text. A publication
-- without a row (published before this table) is read from its snapshot, as before. Immutable like publications.
CREATE TABLE publication_change_basis (
  publication_id INTEGER PRIMARY KEY REFERENCES publications(id),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  basis BLOB NOT NULL
) STRICT;

CREATE TRIGGER publication_change_basis_no_update BEFORE UPDATE ON publication_change_basis
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
CREATE TRIGGER publication_change_basis_no_delete BEFORE DELETE ON publication_change_basis
BEGIN SELECT RAISE(ABORT, 'publications are immutable'); END;
