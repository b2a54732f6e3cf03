-- Core register: agencies, leaders, sectors, users, files, directive documents, tasks and their append-only events.
-- Dates are calendar days in Asia/Ho_Chi_Minh as 'YYYY-MM-DD'; instants are UTC ISO-8601 strings.
-- The derived columns of `tasks` (marked below) are rewritten from the task's events by admin/domain/status.ts
-- in the same transaction as every event append; they are a cache of the events, never a source of truth.

CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('department', 'district', 'commune', 'central', 'other')),
  successor_id INTEGER REFERENCES agencies(id),
  merged_on TEXT,
  dissolved_on TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK ((successor_id IS NULL) = (merged_on IS NULL))
) STRICT;

CREATE TABLE leaders (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE sectors (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  email TEXT,
  role TEXT NOT NULL CHECK (role IN ('agency', 'specialist', 'confirmer', 'leader', 'admin')),
  agency_id INTEGER REFERENCES agencies(id),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_login_at TEXT,
  CHECK ((role = 'agency') = (agency_id IS NOT NULL))
) STRICT;
CREATE INDEX users_agency ON users(agency_id);

-- Uploaded files live under data/uploads/<storage_name>, never in a served folder.
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  storage_name TEXT NOT NULL UNIQUE,
  original_name TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),
  sha256 TEXT NOT NULL,
  uploaded_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL,
  doc_type TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  signer_id INTEGER REFERENCES leaders(id),
  summary TEXT NOT NULL DEFAULT '',
  file_id INTEGER REFERENCES files(id),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (number, issued_on)
) STRICT;
CREATE INDEX documents_issued ON documents(issued_on);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  document_id INTEGER REFERENCES documents(id),
  lead_agency_id INTEGER NOT NULL REFERENCES agencies(id),      -- current lead agency (moves on reassignment)
  leader_id INTEGER REFERENCES leaders(id),                     -- assigning leader
  specialist_id INTEGER REFERENCES users(id),                   -- tracking specialist of the Office
  sector_id INTEGER REFERENCES sectors(id),
  assigned_on TEXT NOT NULL,
  deadline TEXT,                                                -- original deadline; NULL = no deadline
  no_deadline_reason TEXT,
  starred INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
  confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
  search_text TEXT NOT NULL DEFAULT '',                         -- folded: lower case, no diacritics
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- derived from events (see admin/domain/status.ts deriveFacts):
  received_on TEXT,
  ext_requested_on TEXT,
  ext_approved_on TEXT,
  ext_deadline TEXT,
  reported_on TEXT,                                             -- pending (unresolved) result report, if any
  completed_on TEXT,                                            -- submission date of the confirmed report
  confirmed_on TEXT,
  cancelled_on TEXT,
  explained_on TEXT,
  last_event_on TEXT,
  last_update_at TEXT,
  report_windows TEXT,                                          -- JSON [[submitted, resolved|null], ...] or NULL
  agency_history TEXT,                                          -- JSON [[agencyId, fromDate], ...] when reassigned
  -- derived too: from settled_on on, the task's status never changes (completed or cancelled, nothing after), so
  -- statistics count settled tasks by group in SQL and classify only the open ones row by row (status.ts settledAsOf)
  settled_on TEXT,
  settled_category TEXT CHECK (settled_category IN ('completedOnTime', 'completedLate')),
  CHECK (deadline IS NULL OR deadline >= assigned_on)
) STRICT;
-- statistics as of C (admin/domain/stats.ts): settled tasks are counted by group from tasks_settled / tasks_lead_agency
-- (covering); open ones are read from the small partial index tasks_unsettled plus, for a past C, the tasks settled
-- after C (tasks_settled range, assigned_on checked inside the index)
CREATE INDEX tasks_lead_agency ON tasks(lead_agency_id, settled_on, settled_category, confidential, assigned_on);
CREATE INDEX tasks_assigned ON tasks(assigned_on, settled_on);
CREATE INDEX tasks_settled ON tasks(settled_on, lead_agency_id, settled_category, confidential, assigned_on);
CREATE INDEX tasks_unsettled ON tasks(lead_agency_id, assigned_on) WHERE settled_on IS NULL;
CREATE INDEX tasks_document ON tasks(document_id);
CREATE INDEX tasks_reassigned ON tasks(id) WHERE agency_history IS NOT NULL;

CREATE TABLE task_coordinators (
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  PRIMARY KEY (task_id, agency_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_coordinators_agency ON task_coordinators(agency_id, task_id);

CREATE TABLE task_events (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  kind TEXT NOT NULL CHECK (kind IN (
    'assigned', 'received', 'progress', 'reported', 'confirmed', 'returned',
    'extension_requested', 'extension_approved', 'extension_rejected',
    'explanation_submitted', 'urged', 'reassigned', 'cancelled', 'corrected')),
  occurred_on TEXT NOT NULL,                                    -- calendar day, Asia/Ho_Chi_Minh
  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor_user_id INTEGER REFERENCES users(id),
  agency_id INTEGER REFERENCES agencies(id),
  note TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  public INTEGER NOT NULL DEFAULT 1 CHECK (public IN (0, 1))     -- shown on the public timeline
) STRICT;
CREATE INDEX task_events_task ON task_events(task_id, occurred_on, id);
CREATE INDEX task_events_recorded ON task_events(recorded_at);
CREATE INDEX task_events_agency ON task_events(agency_id, occurred_on);

CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN SELECT RAISE(ABORT, 'task_events is append-only'); END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN SELECT RAISE(ABORT, 'task_events is append-only'); END;

CREATE TABLE event_files (
  event_id INTEGER NOT NULL REFERENCES task_events(id),
  file_id INTEGER NOT NULL REFERENCES files(id),
  PRIMARY KEY (event_id, file_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
