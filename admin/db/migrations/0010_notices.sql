-- Issue 11: notices in the app and by mail (admin/domain/notices.ts). A notice is written in the same transaction as
-- its cause (a task event, a delegation, or the daily job's "due soon" / "became overdue" finding); the UNIQUE key
-- makes each case once, so a job that runs twice or catches up after days down adds nothing the second time.
-- `scope` is the recipient's role and agency when written ('agency:12'): a user moved to another unit or given
-- another role stops seeing the old unit's notices at once (lists and the bell count filter on the current scope).
CREATE TABLE notices (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  scope TEXT NOT NULL,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  kind TEXT NOT NULL CHECK (kind IN (
    'task_new', 'task_delegated', 'due_soon', 'overdue', 'urged', 'report_returned',
    'extension_approved', 'extension_rejected', 'report_waiting', 'extension_waiting', 'waiting_long',
    'unit_draft', 'unit_waiting', 'unit_sent_back')),
  event_id INTEGER REFERENCES task_events(id),
  -- what makes the case one: '' (once per task), the event id, or the effective deadline for due soon / overdue
  dedupe_key TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  created_at TEXT NOT NULL,
  read_at TEXT,
  -- mail: 'pending' waits for the 07:00 digest, 'queued' went to the outbox at once (or in a digest), 'skipped' none
  mail_state TEXT NOT NULL DEFAULT 'pending' CHECK (mail_state IN ('pending', 'queued', 'skipped')),
  UNIQUE (user_id, kind, task_id, dedupe_key)
) STRICT;
-- the bell: one covering count per page
CREATE INDEX notices_unread ON notices(user_id, scope) WHERE read_at IS NULL;
-- the list page, newest first
CREATE INDEX notices_user ON notices(user_id, scope, id);
-- the digest: who has notices waiting
CREATE INDEX notices_mail_pending ON notices(user_id, id) WHERE mail_state = 'pending';

-- Mail preference per user and kind: 'now' (ngay), 'digest' (tóm tắt hằng ngày, the default when no row), 'off'.
CREATE TABLE notice_prefs (
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('now', 'digest', 'off')),
  PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

-- Mails carry an HTML part beside the plain text (NULL: plain text only, as before).
ALTER TABLE mail_outbox ADD COLUMN html TEXT;
