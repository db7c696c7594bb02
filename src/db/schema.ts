import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types as both dialects return them (see connection.ts): times are ISO-8601 strings, JSON
 * columns raw JSON text, flags 0/1 integers. Repositories map rows to domain types; rows never
 * leave a repository.
 */

/** ISO-8601 UTC string in and out. */
export type Timestamp = string;
/** Raw JSON text; repositories parse and stringify. */
export type JsonText = string;

export interface VehicleTable {
  id: Generated<number>;
  vin: string;
  year: number;
  make: string;
  model: string;
  trim: string | null;
  body:
    'sedan' | 'coupe' | 'hatchback' | 'wagon' | 'convertible' | 'suv' | 'truck' | 'van' | 'minivan';
  color: string | null;
  mileage: number;
  price: number;
  status: 'available' | 'sold' | 'in_service';
  location: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CallTable {
  id: string;
  room_name: string;
  channel: 'sip' | 'web' | 'simulator';
  job_id: string | null;
  caller_identity: string | null;
  caller_number: string | null;
  dialed_number: string | null;
  sip_call_id: string | null;
  sip_trunk_id: string | null;
  sip_rule_id: string | null;
  state: string;
  outcome: string | null;
  end_reason: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  customer_name: string | null;
  callback_number: string | null;
  vin: string | null;
  vehicle_json: JsonText | null;
  appointment_id: number | null;
  collected_json: JsonText | null;
  transfer_target: string | null;
  transfer_error: string | null;
  transfer_sip_status: number | null;
  summary_status: 'pending' | 'done' | 'failed' | null;
  summary: string | null;
  intent: string | null;
  sentiment: string | null;
  follow_up_needed: number | null;
  tags_json: JsonText | null;
  summary_json: JsonText | null;
  summary_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CallTransitionTable {
  id: Generated<number>;
  call_id: string;
  from_state: string;
  to_state: string;
  reason: string;
  at: Timestamp;
}

export interface TranscriptItemTable {
  id: Generated<number>;
  call_id: string;
  item_id: string;
  role: 'user' | 'assistant' | 'system';
  text: string;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  interrupted: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

export interface ToolCallTable {
  id: Generated<number>;
  call_id: string;
  tool_call_id: string;
  name: string;
  arguments_json: JsonText;
  output_json: JsonText | null;
  error: string | null;
  is_error: ColumnType<number, number | undefined, number>;
  started_at: Timestamp;
  duration_ms: number | null;
}

export interface TurnMetricTable {
  id: Generated<number>;
  call_id: string;
  speech_id: string;
  end_of_utterance_ms: number | null;
  transcription_delay_ms: number | null;
  stt_ms: number | null;
  llm_ttft_ms: number | null;
  llm_duration_ms: number | null;
  tts_ttfb_ms: number | null;
  total_ms: number | null;
  created_at: Timestamp;
}

export interface UserTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  role: 'viewer' | 'supervisor' | 'admin';
  disabled: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  password_changed_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface SessionTable {
  /** sha256 hex of the cookie token; the token itself is never stored. */
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  /** sha256 hex of the token; the token itself is shown once and never stored. */
  token_hash: string;
  token_prefix: string;
  role: 'viewer' | 'supervisor' | 'admin';
  created_by: number | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string | null;
  succeeded: number;
  at: Timestamp;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: Timestamp;
  action: string;
  actor_type: 'user' | 'token' | 'anonymous' | 'system';
  actor_id: number | null;
  actor_label: string | null;
  credential_id: string | null;
  ip: string | null;
  user_agent: string | null;
  target_type: string | null;
  target_id: string | null;
  details_json: JsonText | null;
}

export interface AppointmentTable {
  id: Generated<number>;
  call_id: string | null;
  kind: 'test_drive' | 'service';
  status: ColumnType<'booked' | 'cancelled', 'booked' | 'cancelled' | undefined>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  customer_name: string;
  callback_number: string | null;
  vin: string | null;
  vehicle_json: JsonText | null;
  notes: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecordingTable {
  id: string;
  call_id: string;
  mode: 'egress' | 'agent';
  status: 'recording' | 'pending' | 'uploaded' | 'failed';
  egress_id: string | null;
  storage_key: string;
  location: string | null;
  content_type: string;
  size_bytes: number | null;
  duration_ms: number | null;
  sha256: string | null;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  uploaded_at: Timestamp | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  lease_owner: string | null;
  lease_expires_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KnowledgeSectionTable {
  id: Generated<number>;
  source: string;
  position: number;
  heading: string;
  body: string;
  content_hash: string;
  updated_at: Timestamp;
}

export interface WebhookEventTable {
  /** LiveKit's event id (`EV_...`), or `sha256:<body hash>` for events without one. */
  id: string;
  event: string;
  room_name: string | null;
  received_at: Timestamp;
}

export interface Database {
  vehicles: VehicleTable;
  calls: CallTable;
  call_transitions: CallTransitionTable;
  transcript_items: TranscriptItemTable;
  tool_calls: ToolCallTable;
  turn_metrics: TurnMetricTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_attempts: LoginAttemptTable;
  audit_events: AuditEventTable;
  appointments: AppointmentTable;
  knowledge_sections: KnowledgeSectionTable;
  recordings: RecordingTable;
  webhook_events: WebhookEventTable;
}

export type VehicleRow = Selectable<VehicleTable>;
export type NewVehicleRow = Insertable<VehicleTable>;
export type VehicleRowUpdate = Updateable<VehicleTable>;
export type CallRow = Selectable<CallTable>;
export type NewCallRow = Insertable<CallTable>;
export type CallRowUpdate = Updateable<CallTable>;
export type RecordingRow = Selectable<RecordingTable>;
export type NewRecordingRow = Insertable<RecordingTable>;
export type RecordingRowUpdate = Updateable<RecordingTable>;
