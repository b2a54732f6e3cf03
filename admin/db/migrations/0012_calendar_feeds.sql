-- Issue 11: each user's private calendar feed (iCal) of the deadlines they may see. Only the SHA-256 hash of the
-- secret token is stored; a request is looked up by that hash (admin/domain/calendar-feed-token.ts). At most one
-- live feed per user; revoking keeps the row (revoked_at) so the audit log's references stay meaningful.
CREATE TABLE calendar_feeds (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE UNIQUE INDEX calendar_feeds_live ON calendar_feeds(user_id) WHERE revoked_at IS NULL;
