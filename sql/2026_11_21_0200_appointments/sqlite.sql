-- Test drives and service visits booked by the voice agent. One booked row per (kind, slot): the
-- partial unique index is what prevents a double booking when two calls take the same slot.
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY NOT NULL,
  call_id TEXT REFERENCES calls (id) ON DELETE SET NULL,
  kind TEXT NOT NULL CHECK (kind IN ('test_drive', 'service')),
  status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled')),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  callback_number TEXT,
  vin TEXT,
  vehicle_json TEXT,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX appointments_booked_slot ON appointments (kind, starts_at) WHERE status = 'booked';
CREATE INDEX appointments_starts_at ON appointments (starts_at);
CREATE INDEX appointments_call ON appointments (call_id);
