-- Issue 11: the people inside an agency. The head of unit (thủ trưởng) and the officers (chuyên viên) are agency
-- users (users.role = 'agency', so the CHECK tying agency users to an agency still holds) with a unit role; the
-- principal's role becomes 'head' / 'officer' when the user is loaded (admin/auth/session.ts). A table rebuild of
-- users is avoided: PRAGMA foreign_keys cannot change inside the migration runner's transaction.
ALTER TABLE users ADD COLUMN unit_role TEXT CHECK (unit_role IN ('head', 'officer'));

-- Per-agency setting "thủ trưởng duyệt trước khi gửi Văn phòng", set by the administrator on the agency page.
ALTER TABLE agencies ADD COLUMN head_approval INTEGER NOT NULL DEFAULT 0 CHECK (head_approval IN (0, 1));

-- A task given to one or more officers of a unit (lead or coordinating): officer scoping is this indexed lookup.
CREATE TABLE task_delegations (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  note TEXT NOT NULL DEFAULT '',
  internal_due_on TEXT,
  delegated_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE UNIQUE INDEX task_delegations_live ON task_delegations(user_id, task_id) WHERE revoked_at IS NULL;
CREATE INDEX task_delegations_task ON task_delegations(task_id);

-- The unit's internal steps (delegated, draft saved, submitted for the head's approval, approved, sent back).
-- Append-only like task_events, but never published and never read by statistics: a draft or a report waiting for
-- the head counts for nothing until it reaches the Office as a normal task event.
CREATE TABLE task_internal_steps (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  kind TEXT NOT NULL CHECK (kind IN ('delegated', 'draft_saved', 'submitted', 'approved', 'sent_back')),
  -- what a submission carries: the result report, the extension request or the explanation
  subject TEXT CHECK (subject IN ('report', 'request_extension', 'explain')),
  actor_user_id INTEGER REFERENCES users(id),
  occurred_on TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  -- the task event an approval (or a direct submission) became
  event_id INTEGER REFERENCES task_events(id)
) STRICT;
CREATE INDEX task_internal_steps_task ON task_internal_steps(task_id, id);
CREATE TRIGGER task_internal_steps_no_update BEFORE UPDATE ON task_internal_steps
BEGIN SELECT RAISE(ABORT, 'task_internal_steps is append-only'); END;
CREATE TRIGGER task_internal_steps_no_delete BEFORE DELETE ON task_internal_steps
BEGIN SELECT RAISE(ABORT, 'task_internal_steps is append-only'); END;

CREATE TABLE internal_step_files (
  step_id INTEGER NOT NULL REFERENCES task_internal_steps(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  PRIMARY KEY (step_id, file_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX internal_step_files_file ON internal_step_files(file_id);
