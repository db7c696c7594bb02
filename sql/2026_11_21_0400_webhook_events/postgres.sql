-- LiveKit webhook events already handled, keyed by the event id: a redelivered event is ignored.
CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  room_name TEXT,
  received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_events_received_at ON webhook_events (received_at);
