-- The right of reply (issue 13): a unit's short answer to its figures of a published period, approved or declined
-- by the office lead. Replies never change a figure; only approved ones are public (site, open data, feeds).
CREATE TABLE agency_replies (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies(id),
  period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
  file_id INTEGER REFERENCES files(id),
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
  submitted_by INTEGER NOT NULL REFERENCES users(id),
  submitted_at TEXT NOT NULL,
  decided_by INTEGER REFERENCES users(id),
  decided_at TEXT,
  decision_reason TEXT,
  CHECK ((status = 'pending') = (decided_at IS NULL))
) STRICT;
CREATE INDEX agency_replies_status ON agency_replies(status, submitted_at);
-- one reply waiting per unit and period
CREATE UNIQUE INDEX agency_replies_pending ON agency_replies(agency_id, period) WHERE status = 'pending';
