-- Background jobs (admin/jobs): the mail outbox and the last run of each daily job.
-- Mail is queued in the same transaction as the change that causes it (an urge, say) and delivered later by the
-- scheduler, so a mail server that is down never blocks or undoes a write; (reason, to_address) is unique so a job
-- that runs twice queues each message once.
CREATE TABLE mail_outbox (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  sent_at TEXT,
  last_error TEXT,
  UNIQUE (reason, to_address)
) STRICT;
CREATE INDEX mail_outbox_pending ON mail_outbox(next_attempt_at) WHERE status = 'pending';

CREATE TABLE job_runs (
  job TEXT PRIMARY KEY,
  last_run_at TEXT NOT NULL,
  last_result TEXT NOT NULL DEFAULT ''
) STRICT;
