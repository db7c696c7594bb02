-- One row per phone or web call; the worker writes it, the API and the recording module read it.
CREATE TABLE calls (
  id TEXT PRIMARY KEY NOT NULL,
  room_name TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('sip', 'web', 'simulator')),
  job_id TEXT,
  caller_identity TEXT,
  caller_number TEXT,
  dialed_number TEXT,
  sip_call_id TEXT,
  sip_trunk_id TEXT,
  sip_rule_id TEXT,
  state TEXT NOT NULL DEFAULT 'initializing',
  outcome TEXT,
  end_reason TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  customer_name TEXT,
  callback_number TEXT,
  vin TEXT,
  vehicle_json TEXT,
  appointment_id INTEGER,
  collected_json TEXT,
  transfer_target TEXT,
  transfer_error TEXT,
  transfer_sip_status INTEGER,
  summary_status TEXT CHECK (summary_status IN ('pending', 'done', 'failed')),
  summary TEXT,
  intent TEXT,
  sentiment TEXT,
  follow_up_needed INTEGER,
  tags_json TEXT,
  summary_json TEXT,
  summary_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX calls_started_at ON calls (started_at, id);
CREATE INDEX calls_caller_number ON calls (caller_number, started_at);
CREATE INDEX calls_vin ON calls (vin);
CREATE INDEX calls_outcome ON calls (outcome, started_at);
CREATE INDEX calls_state ON calls (state);
CREATE INDEX calls_summary_status ON calls (summary_status);

CREATE TABLE call_transitions (
  id INTEGER PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX call_transitions_call ON call_transitions (call_id, id);

CREATE TABLE transcript_items (
  id INTEGER PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system')),
  text TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  interrupted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  UNIQUE (call_id, item_id)
);
CREATE INDEX transcript_items_call ON transcript_items (call_id, id);

CREATE TABLE tool_calls (
  id INTEGER PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  tool_call_id TEXT NOT NULL,
  name TEXT NOT NULL,
  arguments_json TEXT NOT NULL,
  output_json TEXT,
  error TEXT,
  is_error INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  duration_ms INTEGER,
  UNIQUE (call_id, tool_call_id)
);
CREATE INDEX tool_calls_call ON tool_calls (call_id, id);

CREATE TABLE turn_metrics (
  id INTEGER PRIMARY KEY NOT NULL,
  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  speech_id TEXT NOT NULL,
  end_of_utterance_ms REAL,
  transcription_delay_ms REAL,
  stt_ms REAL,
  llm_ttft_ms REAL,
  llm_duration_ms REAL,
  tts_ttfb_ms REAL,
  total_ms REAL,
  created_at TEXT NOT NULL,
  UNIQUE (call_id, speech_id)
);
CREATE INDEX turn_metrics_call ON turn_metrics (call_id, id);
