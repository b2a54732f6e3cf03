-- Accounts, sessions, login throttling, the append-only audit log and integration-API clients (issue 3).
-- Instants are milliseconds since the epoch (INTEGER) where the server compares them on every request
-- (sessions, throttling), and UTC ISO-8601 text where people read them (audit log).

-- A reset password must be changed at the next login; password_changed_at is shown to administrators.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN password_changed_at TEXT;

-- Sessions after Lucia's design: the cookie holds "<id>.<secret>"; only SHA-256(secret) is stored, so a stolen
-- copy of the database cannot be replayed as a cookie. Idle (30 min, sliding) and absolute (12 h) expiry are
-- checked by admin/auth/session.ts against created_at / last_seen_at.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  secret_hash BLOB NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

-- Login throttling buckets, one per account name (folded to lower case, known or not) and one per client address.
-- After 10 failures inside a 10-minute window the bucket is locked for 10 minutes.
CREATE TABLE login_throttle (
  bucket TEXT PRIMARY KEY,            -- 'user:<name>' or 'ip:<address>'
  failures INTEGER NOT NULL DEFAULT 0,
  window_start INTEGER NOT NULL,
  locked_until INTEGER
) STRICT, WITHOUT ROWID;

-- Who did what, when, from where. Written in the same transaction as the change it records; never updated or
-- deleted (triggers below), so it can be trusted as evidence.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,                                   -- UTC ISO-8601
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'anonymous', 'api', 'system')),
  actor_user_id INTEGER REFERENCES users(id),
  actor_name TEXT NOT NULL DEFAULT '',                -- username (or client name) at the time, kept if renamed
  action TEXT NOT NULL,                               -- e.g. 'auth.login', 'auth.login_failed', 'user.create', 'access.denied'
  target_type TEXT,
  target_id TEXT,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_user_id, at);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Integration API (issue 4): a client is scoped like a role (and an agency for the 'agency' role); each client
-- holds bearer tokens stored like sessions ("<id>.<secret>", SHA-256 of the secret only), revocable one by one.
CREATE TABLE api_clients (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('agency', 'specialist', 'confirmer', 'leader')),
  agency_id INTEGER REFERENCES agencies(id),
  created_by INTEGER REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  CHECK ((role = 'agency') = (agency_id IS NOT NULL))
) STRICT;

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES api_clients(id),
  secret_hash BLOB NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT
) STRICT;
CREATE INDEX api_tokens_client ON api_tokens(client_id);
