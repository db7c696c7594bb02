import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { decodeCursor, keysetPage, pageLimit } from '../db/cursor.js';
import { type Db, inTransaction } from '../db/index.js';
import type { CallRow, CallRowUpdate } from '../db/schema.js';
import type { Call, CallOutcome, CallPatch, NewCall } from './call.js';
import { type CallState, canTransition, isCallState, isTerminal } from './call-states.js';

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function rowToCall(row: CallRow): Call {
  const state: CallState = isCallState(row.state) ? row.state : 'failed';
  return {
    id: row.id,
    roomName: row.room_name,
    channel: row.channel,
    jobId: row.job_id,
    callerIdentity: row.caller_identity,
    callerNumber: row.caller_number,
    dialedNumber: row.dialed_number,
    sipCallId: row.sip_call_id,
    sipTrunkId: row.sip_trunk_id,
    sipRuleId: row.sip_rule_id,
    state,
    outcome: row.outcome as CallOutcome | null,
    endReason: row.end_reason,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.ended_at ? Date.parse(row.ended_at) - Date.parse(row.started_at) : null,
    customerName: row.customer_name,
    callbackNumber: row.callback_number,
    vin: row.vin,
    vehicle: parseJson(row.vehicle_json, null),
    appointmentId: row.appointment_id,
    collected: parseJson(row.collected_json, {}),
    transfer: {
      target: row.transfer_target,
      error: row.transfer_error,
      sipStatus: row.transfer_sip_status,
    },
    summary: {
      status: row.summary_status,
      text: row.summary,
      intent: row.intent,
      sentiment: row.sentiment,
      followUpNeeded: row.follow_up_needed === null ? null : row.follow_up_needed === 1,
      tags: parseJson(row.tags_json, []),
      details: parseJson(row.summary_json, null),
      error: row.summary_error,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

function patchToRow(patch: CallPatch): CallRowUpdate {
  const row: CallRowUpdate = {};
  const set = <K extends keyof CallRowUpdate>(key: K, value: CallRowUpdate[K] | undefined) => {
    if (value !== undefined) row[key] = value;
  };
  set('job_id', patch.jobId);
  set('caller_identity', patch.callerIdentity);
  set('caller_number', patch.callerNumber);
  set('dialed_number', patch.dialedNumber);
  set('sip_call_id', patch.sipCallId);
  set('sip_trunk_id', patch.sipTrunkId);
  set('sip_rule_id', patch.sipRuleId);
  set('outcome', patch.outcome);
  set('end_reason', patch.endReason);
  set('ended_at', patch.endedAt);
  set('customer_name', patch.customerName);
  set('callback_number', patch.callbackNumber);
  set('vin', patch.vin);
  if (patch.vehicle !== undefined) row.vehicle_json = json(patch.vehicle);
  set('appointment_id', patch.appointmentId);
  if (patch.collected !== undefined) row.collected_json = json(patch.collected);
  set('transfer_target', patch.transferTarget);
  set('transfer_error', patch.transferError);
  set('transfer_sip_status', patch.transferSipStatus);
  const summary = patch.summary;
  if (summary) {
    set('summary_status', summary.status);
    set('summary', summary.text);
    set('intent', summary.intent);
    set('sentiment', summary.sentiment);
    if (summary.followUpNeeded !== undefined) {
      row.follow_up_needed =
        summary.followUpNeeded === null ? null : summary.followUpNeeded ? 1 : 0;
    }
    if (summary.tags !== undefined) row.tags_json = json(summary.tags);
    if (summary.details !== undefined) row.summary_json = json(summary.details);
    set('summary_error', summary.error);
  }
  return row;
}

/** Creates a call in state `initializing`. */
export async function createCall(
  db: Db,
  input: NewCall,
  now = new Date().toISOString(),
): Promise<Call> {
  const id = input.id ?? randomUUID();
  await db
    .insertInto('calls')
    .values({
      id,
      room_name: input.roomName,
      channel: input.channel,
      job_id: input.jobId ?? null,
      caller_identity: input.callerIdentity ?? null,
      caller_number: input.callerNumber ?? null,
      dialed_number: input.dialedNumber ?? null,
      sip_call_id: input.sipCallId ?? null,
      sip_trunk_id: input.sipTrunkId ?? null,
      sip_rule_id: input.sipRuleId ?? null,
      state: 'initializing',
      started_at: input.startedAt ?? now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return (await getCall(db, id)) as Call;
}

/** The call with this id, or null. */
export async function getCall(db: Db, id: string): Promise<Call | null> {
  const row = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToCall(row) : null;
}

/** The call held in this LiveKit room, or null. */
export async function getCallByRoom(db: Db, roomName: string): Promise<Call | null> {
  const row = await db
    .selectFrom('calls')
    .selectAll()
    .where('room_name', '=', roomName)
    .executeTakeFirst();
  return row ? rowToCall(row) : null;
}

/** Updates fields other than the state; returns the call, or null when it does not exist. */
export async function updateCall(
  db: Db,
  id: string,
  patch: CallPatch,
  now = new Date().toISOString(),
): Promise<Call | null> {
  await patchCall(db, id, patch, now);
  return getCall(db, id);
}

/**
 * `updateCall` without reading the call back: for the worker's call tracker, which keeps its own
 * copy and writes on the call's audio process.
 */
export async function patchCall(
  db: Db,
  id: string,
  patch: CallPatch,
  now = new Date().toISOString(),
): Promise<void> {
  await db
    .updateTable('calls')
    .set({ ...patchToRow(patch), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A transition the stored call did not take. */
export interface TransitionRejected {
  applied: false;
  from: CallState | null;
  to: CallState;
  /** not_found: no such call; unchanged: already there; invalid_transition: the table forbids it;
   * conflict: another writer changed the state meanwhile. */
  reason: 'not_found' | 'unchanged' | 'invalid_transition' | 'conflict';
}

export type TransitionResult =
  { applied: true; from: CallState; to: CallState; call: Call } | TransitionRejected;

export type StateChange = { applied: true; from: CallState; to: CallState } | TransitionRejected;

/**
 * Moves a call to `to` if the transition table allows it, storing the transition (from, to,
 * reason, at) and `patch` in the same transaction as the state change. Entering a terminal state
 * stamps `ended_at` when it is not set. Never throws for a rejected transition: check `applied`.
 */
export async function transitionCall(
  db: Db,
  callId: string,
  to: CallState,
  options: { reason: string; patch?: CallPatch; at?: string },
): Promise<TransitionResult> {
  return inTransaction(db, async (trx) => {
    const result = await changeCallState(trx, callId, to, options);
    return result.applied ? { ...result, call: (await getCall(trx, callId)) as Call } : result;
  });
}

/**
 * `transitionCall` without reading the call back: for the worker's call tracker, which keeps its
 * own copy and writes on the call's audio process.
 */
export async function changeCallState(
  db: Db,
  callId: string,
  to: CallState,
  options: { reason: string; patch?: CallPatch; at?: string },
): Promise<StateChange> {
  const at = options.at ?? new Date().toISOString();
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('calls')
      .select(['state', 'ended_at'])
      .where('id', '=', callId)
      .executeTakeFirst();
    if (!current) return { applied: false, from: null, to, reason: 'not_found' };
    const from = isCallState(current.state) ? current.state : 'failed';
    if (from === to) return { applied: false, from, to, reason: 'unchanged' };
    if (!canTransition(from, to)) return { applied: false, from, to, reason: 'invalid_transition' };

    const row = patchToRow(options.patch ?? {});
    if (isTerminal(to) && !current.ended_at && row.ended_at === undefined) row.ended_at = at;
    const updated = await trx
      .updateTable('calls')
      .set({ ...row, state: to, updated_at: at })
      .where('id', '=', callId)
      .where('state', '=', from)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      return { applied: false, from, to, reason: 'conflict' };
    await trx
      .insertInto('call_transitions')
      .values({ call_id: callId, from_state: from, to_state: to, reason: options.reason, at })
      .execute();
    return { applied: true, from, to };
  });
}

/** One stored state change. */
export interface CallTransition {
  from: CallState;
  to: CallState;
  reason: string;
  at: string;
}

/** The call's state changes, oldest first. */
export async function listTransitions(db: Db, callId: string): Promise<CallTransition[]> {
  const rows = await db
    .selectFrom('call_transitions')
    .select(['from_state', 'to_state', 'reason', 'at'])
    .where('call_id', '=', callId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    from: r.from_state as CallState,
    to: r.to_state as CallState,
    reason: r.reason,
    at: r.at,
  }));
}

/**
 * Ends a call that nobody ended (the caller hung up, the room closed, the worker died): moves it
 * to `ended` and sets the outcome to `hung_up` when none was recorded. A call already in a terminal
 * state only gets `ended_at` if it is missing. Returns the call, or null when the room is unknown.
 */
export async function finalizeCallByRoom(
  db: Db,
  roomName: string,
  options: { endReason: string; at?: string },
): Promise<Call | null> {
  const at = options.at ?? new Date().toISOString();
  const call = await getCallByRoom(db, roomName);
  if (!call) return null;
  if (isTerminal(call.state)) {
    if (call.endedAt) return call;
    return updateCall(db, call.id, { endedAt: at }, at);
  }
  const result = await transitionCall(db, call.id, 'ended', {
    reason: options.endReason,
    at,
    patch: { endReason: call.endReason ?? options.endReason, outcome: call.outcome ?? 'hung_up' },
  });
  return result.applied ? result.call : getCall(db, call.id);
}

/** Filters for the calls list. Times are ISO-8601. */
export interface CallFilters {
  from?: string;
  to?: string;
  outcome?: CallOutcome;
  state?: CallState;
  vin?: string;
  callerNumber?: string;
  /** Case-insensitive text in the summary or the customer's name. */
  text?: string;
  /** Only calls that have not ended. */
  active?: boolean;
}

export interface CallPage {
  items: Call[];
  nextCursor: string | null;
}

/** Calls newest first with keyset pagination on (started_at, id). */
export async function listCalls(
  db: Db,
  filters: CallFilters = {},
  page: { limit?: number; cursor?: string } = {},
): Promise<CallPage> {
  const limit = pageLimit(page.limit);
  let query = db.selectFrom('calls').selectAll();
  if (filters.from) query = query.where('started_at', '>=', filters.from);
  if (filters.to) query = query.where('started_at', '<', filters.to);
  if (filters.outcome) query = query.where('outcome', '=', filters.outcome);
  if (filters.state) query = query.where('state', '=', filters.state);
  if (filters.vin) query = query.where('vin', '=', filters.vin);
  if (filters.callerNumber) query = query.where('caller_number', '=', filters.callerNumber);
  if (filters.active) query = query.where('ended_at', 'is', null);
  if (filters.text) {
    const pattern = `%${filters.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(summary)`, 'like', sql`${pattern} escape '\\'`),
        eb(sql`lower(customer_name)`, 'like', sql`${pattern} escape '\\'`),
      ]),
    );
  }
  if (page.cursor) {
    const [startedAt, id] = decodeCursor(page.cursor, ['string', 'string'] as const);
    query = query.where((eb) =>
      eb.or([
        eb('started_at', '<', startedAt),
        eb.and([eb('started_at', '=', startedAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  return keysetPage(rows, limit, rowToCall, (call) => [call.startedAt, call.id]);
}

/** The caller's most recent earlier calls (for returning-caller context), newest first. */
export async function findRecentCallsByNumber(
  db: Db,
  callerNumber: string,
  options: { limit?: number; excludeCallId?: string } = {},
): Promise<Call[]> {
  let query = db
    .selectFrom('calls')
    .selectAll()
    .where('caller_number', '=', callerNumber)
    .orderBy('started_at', 'desc')
    .limit(options.limit ?? 3);
  if (options.excludeCallId) query = query.where('id', '!=', options.excludeCallId);
  return (await query.execute()).map(rowToCall);
}
