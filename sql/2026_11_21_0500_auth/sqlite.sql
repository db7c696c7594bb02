-- Staff console: users, browser sessions, API tokens, login attempts (lockout) and the audit log.
-- Secrets are never stored: passwords as argon2id hashes, session and API tokens as sha256 hex.
CREATE TABLE users (
  id INTEGER PRIMARY KEY NOT NULL,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'supervisor', 'admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  last_login_at TEXT
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  token_prefix TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'supervisor', 'admin')),
  created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT
);
-- A name identifies one live token (the CLI revokes by name); revoked names may be reused.
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY NOT NULL,
  email TEXT NOT NULL,
  ip TEXT,
  succeeded INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX login_attempts_email_at ON login_attempts (email, at);
CREATE INDEX login_attempts_ip_at ON login_attempts (ip, at);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY NOT NULL,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('user', 'token', 'anonymous', 'system')),
  actor_id INTEGER,
  actor_label TEXT,
  credential_id TEXT,
  ip TEXT,
  user_agent TEXT,
  target_type TEXT,
  target_id TEXT,
  details_json TEXT
);
CREATE INDEX audit_events_action_id ON audit_events (action, id);
CREATE INDEX audit_events_actor_id ON audit_events (actor_type, actor_id, id);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id, id);
CREATE INDEX audit_events_at ON audit_events (at);
