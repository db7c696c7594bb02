import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  maskPhoneFields,
  maskPhoneNumber,
  maskPhoneText,
  mayDownloadRecordings,
  type Principal,
} from '../../auth/index.js';
import {
  CALL_OUTCOMES,
  type Call,
  getCall,
  listCalls,
  listTransitions,
} from '../../calls/index.js';
import { listToolCalls } from '../../calls/tool-call-repository.js';
import { listTranscript } from '../../calls/transcript-repository.js';
import { listTurnMetrics } from '../../calls/turn-metrics-repository.js';
import type { Config } from '../../config/index.js';
import { InvalidCursorError } from '../../db/cursor.js';
import type { Db } from '../../db/index.js';
import { findRecordingForCall, type Recording } from '../../egress/index.js';
import { errorSchema } from '../schemas/common.js';
import {
  callListItemSchema,
  callSummarySchema,
  callTransitionSchema,
  callRecordingSchema,
  callVehicleSchema,
  toolCallSchema,
  transcriptLineSchema,
  turnMetricsSchema,
} from '../schemas/calls.js';

const callDetailSchema = callListItemSchema.extend({
  roomName: z.string(),
  callbackNumber: z.string().nullable(),
  dialedNumber: z.string().nullable(),
  endReason: z.string().nullable(),
  vehicle: callVehicleSchema.nullable(),
  transfer: z.object({
    target: z.string().nullable(),
    error: z.string().nullable(),
    sipStatus: z.number().nullable(),
  }),
  summaryDetails: callSummarySchema,
  transitions: z.array(callTransitionSchema),
  transcript: z.array(transcriptLineSchema),
  toolCalls: z.array(toolCallSchema),
  turnMetrics: z.array(turnMetricsSchema),
  recording: callRecordingSchema.nullable(),
});

/** The recording to play: an uploaded one (room composite first), else whichever exists. */
async function playableRecording(db: Db, callId: string): Promise<Recording | null> {
  const found = await Promise.all([
    findRecordingForCall(db, callId, 'egress'),
    findRecordingForCall(db, callId, 'agent'),
  ]);
  const recordings = found.filter((r): r is Recording => r !== null);
  return recordings.find((r) => r.status === 'uploaded') ?? recordings[0] ?? null;
}

/** How the console reaches a recording (the recordings routes); download only for roles that may. */
function recordingBody(recording: Recording, user: Principal): z.infer<typeof callRecordingSchema> {
  const audioUrl = `/api/recordings/${encodeURIComponent(recording.id)}/audio`;
  return {
    id: recording.id,
    mode: recording.mode,
    status: recording.status,
    contentType: recording.contentType,
    durationMs: recording.durationMs,
    startedAt: recording.startedAt,
    audioUrl,
    downloadUrl: mayDownloadRecordings(user.role) ? `${audioUrl}?download=1` : null,
  };
}

/** Milliseconds from `origin` to `iso` (never negative), or null when the time is unknown. */
function offsetFrom(origin: string, iso: string | null): number | null {
  if (iso === null) return null;
  return Math.max(0, Date.parse(iso) - Date.parse(origin));
}

/** The list row for a call, as this principal may see it. */
function toListItem(
  call: Call,
  user: Principal,
  config: Config,
): z.infer<typeof callListItemSchema> {
  return {
    id: call.id,
    channel: call.channel,
    state: call.state,
    outcome: call.outcome,
    startedAt: call.startedAt,
    endedAt: call.endedAt,
    durationMs: call.durationMs,
    callerNumber: maskPhoneNumber(call.callerNumber, user, config),
    customerName: call.customerName,
    vin: call.vin,
    vehicle: call.vehicle,
    summary: call.summary.text === null ? null : maskPhoneText(call.summary.text, user, config),
    tags: call.summary.tags,
  };
}

/** Calls for the console and API clients: the filtered list and one call in detail. */
const callRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const { config, db } = fastify;

  fastify.get(
    '/api/calls',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['calls'],
        summary: 'Calls, newest first, with filters and keyset paging',
        querystring: z.object({
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          outcome: z.enum(CALL_OUTCOMES).optional(),
          vin: z
            .string()
            .trim()
            .toUpperCase()
            .regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'must be a 17-character VIN')
            .optional(),
          q: z.string().trim().min(1).max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(25),
          cursor: z.string().max(300).optional(),
        }),
        response: {
          200: z.object({ items: z.array(callListItemSchema), nextCursor: z.string().nullable() }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { from, to, outcome, vin, q, limit, cursor } = request.query;
      const user = request.user as Principal;
      try {
        const page = await listCalls(
          db,
          {
            from: from && new Date(from).toISOString(),
            to: to && new Date(to).toISOString(),
            outcome,
            vin,
            text: q,
          },
          { limit, cursor },
        );
        return {
          items: page.items.map((call) => toListItem(call, user, config)),
          nextCursor: page.nextCursor,
        };
      } catch (error) {
        if (error instanceof InvalidCursorError) throw fastify.httpErrors.badRequest(error.message);
        throw error;
      }
    },
  );

  fastify.get(
    '/api/calls/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['calls'],
        summary:
          'One call: transcript (offsets from the recording start), state timeline, tool calls, turn latency, vehicle, summary',
        params: z.object({ id: z.string().min(1).max(100) }),
        response: { 200: callDetailSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const user = request.user as Principal;
      const call = await getCall(db, request.params.id);
      if (!call) throw fastify.httpErrors.notFound(`No call ${request.params.id}.`);
      const [transitions, transcript, toolCalls, turnMetrics, recording] = await Promise.all([
        listTransitions(db, call.id),
        listTranscript(db, call.id),
        listToolCalls(db, call.id),
        listTurnMetrics(db, call.id),
        playableRecording(db, call.id),
      ]);
      // Transcript lines seek the recording, so their offsets count from where it starts.
      const origin = recording?.startedAt ?? call.startedAt;
      return {
        ...toListItem(call, user, config),
        // LiveKit's individual dispatch rule names rooms after the caller's number.
        roomName: maskPhoneText(call.roomName, user, config),
        callbackNumber: maskPhoneNumber(call.callbackNumber, user, config),
        dialedNumber: call.dialedNumber,
        endReason: call.endReason,
        transfer: call.transfer,
        summaryDetails: maskPhoneFields(call.summary, user, config),
        transitions,
        transcript: transcript.map((line) => ({
          itemId: line.itemId,
          role: line.role,
          text: maskPhoneText(line.text, user, config),
          startedAt: line.startedAt,
          endedAt: line.endedAt,
          offsetMs: offsetFrom(origin, line.startedAt),
          interrupted: line.interrupted,
        })),
        toolCalls: toolCalls.map((tool) => ({
          toolCallId: tool.toolCallId,
          name: tool.name,
          arguments: maskPhoneFields(tool.arguments, user, config),
          output: maskPhoneFields(tool.output, user, config),
          error: tool.error,
          startedAt: tool.startedAt,
          offsetMs: offsetFrom(origin, tool.startedAt),
          durationMs: tool.durationMs,
        })),
        turnMetrics,
        recording: recording ? recordingBody(recording, user) : null,
      };
    },
  );
};

export default callRoutes;
