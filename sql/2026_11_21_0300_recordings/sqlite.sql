-- One row per call recording. Egress mode: the row follows the LiveKit egress (recording -> uploaded | failed).
-- Agent mode (and the fallback when egress fails): the worker spools the file on disk and the row stays
-- 'pending' until an upload worker, holding the lease, has uploaded and verified it.
CREATE TABLE recordings (
  id TEXT PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('egress', 'agent')),
  status TEXT NOT NULL CHECK (status IN ('recording', 'pending', 'uploaded', 'failed')),
  egress_id TEXT UNIQUE,
  storage_key TEXT NOT NULL,
  location TEXT,
  content_type TEXT NOT NULL,
  size_bytes INTEGER,
  duration_ms INTEGER,
  sha256 TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  uploaded_at TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_expires_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (call_id, mode)
);
CREATE INDEX recordings_started_at ON recordings (started_at, id);
CREATE INDEX recordings_status ON recordings (status, next_attempt_at);
