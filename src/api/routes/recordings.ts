import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import rangeParser from 'range-parser';
import { z } from 'zod';
import {
  deleteRecording,
  getRecordingWithCall,
  listRecordings,
  type RecordingCursor,
  type RecordingWithCall,
} from '../../egress/index.js';
import { errorSchema } from '../schemas/common.js';

const statusSchema = z.enum(['recording', 'pending', 'uploaded', 'failed']);
const channelSide = z.enum(['agent', 'caller']);

const recordingSchema = z.object({
  id: z.string(),
  callId: z.string(),
  mode: z.enum(['egress', 'agent']),
  status: statusSchema,
  contentType: z.string(),
  sizeBytes: z.number().nullable(),
  durationMs: z.number().nullable(),
  sha256: z.string().nullable(),
  storageKey: z.string(),
  location: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  uploadedAt: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  channels: z.object({ left: channelSide, right: channelSide }),
  call: z.object({
    callerNumber: z.string().nullable(),
    vin: z.string().nullable(),
    outcome: z.string().nullable(),
    startedAt: z.string(),
  }),
  links: z.object({ self: z.string(), call: z.string(), audio: z.string().nullable() }),
});

const detailSchema = recordingSchema.extend({
  presignedUrl: z
    .string()
    .nullable()
    .describe('Direct, short-lived S3 URL (null for the local store)'),
  presignedUrlExpiresAt: z.string().nullable(),
});

const listQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('Recordings started at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('Recordings started before'),
  caller: z.string().max(40).optional().describe("Part of the caller's number"),
  vin: z.string().max(17).optional(),
  outcome: z.string().max(64).optional(),
  status: statusSchema.optional(),
  cursor: z.string().max(300).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

function encodeCursor(cursor: RecordingCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): RecordingCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [startedAt, id] = value as unknown[];
    if (typeof startedAt !== 'string' || typeof id !== 'string') return null;
    if (Number.isNaN(Date.parse(startedAt))) return null;
    return { startedAt, id };
  } catch {
    return null;
  }
}

function present(recording: RecordingWithCall): z.infer<typeof recordingSchema> {
  // Egress mixes agent left / caller right; the agent framework's recorder does the opposite.
  const channels =
    recording.mode === 'egress'
      ? ({ left: 'agent', right: 'caller' } as const)
      : ({ left: 'caller', right: 'agent' } as const);
  return {
    id: recording.id,
    callId: recording.callId,
    mode: recording.mode,
    status: recording.status,
    contentType: recording.contentType,
    sizeBytes: recording.sizeBytes,
    durationMs: recording.durationMs,
    sha256: recording.sha256,
    storageKey: recording.storageKey,
    location: recording.location,
    startedAt: recording.startedAt,
    endedAt: recording.endedAt,
    uploadedAt: recording.uploadedAt,
    error: recording.error,
    attempts: recording.attempts,
    channels,
    call: {
      callerNumber: recording.call.callerNumber,
      vin: recording.call.vin,
      outcome: recording.call.outcome,
      startedAt: recording.call.startedAt,
    },
    links: {
      self: `/api/recordings/${recording.id}`,
      call: `/api/calls/${recording.callId}`,
      audio: recording.status === 'uploaded' ? `/api/recordings/${recording.id}/audio` : null,
    },
  };
}

type ByteSelection =
  { kind: 'all' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * The part of the object a Range header asks for. Malformed and unsatisfiable ranges are both
 * refused with 416; several ranges (browsers never send them) are answered with the whole object.
 */
export function selectBytes(size: number, header: string | undefined): ByteSelection {
  if (!header) return { kind: 'all' };
  const ranges = rangeParser(size, header, { combine: true });
  if (ranges === -1 || ranges === -2 || ranges.type !== 'bytes') return { kind: 'unsatisfiable' };
  const [first] = ranges;
  if (ranges.length !== 1 || !first) return { kind: 'all' };
  return { kind: 'range', start: first.start, end: first.end };
}

function rangeNotSatisfiable(reply: FastifyReply, size: number) {
  return reply
    .code(416)
    .header('content-range', `bytes */${size}`)
    .send({
      statusCode: 416,
      error: 'Range Not Satisfiable',
      message: `The recording has ${size} bytes.`,
    });
}

/**
 * Recordings API. Access levels are declared per route for the access-control plugin (console
 * issue): viewers list, read and play; deleting needs a supervisor.
 */
const recordingRoutes: FastifyPluginAsyncZod = async (fastify) => {
  fastify.get(
    '/api/recordings',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['recordings'],
        summary: 'Recordings, newest first (keyset pagination with nextCursor)',
        querystring: listQuery,
        response: {
          200: z.object({ items: z.array(recordingSchema), nextCursor: z.string().nullable() }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { cursor, limit, ...filters } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (after === null) throw fastify.httpErrors.badRequest('querystring.cursor: invalid cursor');
      const page = await listRecordings(fastify.db, filters, { limit, after });
      return {
        items: page.items.map(present),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  fastify.get(
    '/api/recordings/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['recordings'],
        summary: 'One recording: metadata, call link and a short-lived presigned URL (S3)',
        params: idParams,
        response: { 200: detailSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const recording = await getRecordingWithCall(fastify.db, request.params.id);
      if (!recording) throw fastify.httpErrors.notFound('No such recording.');
      const storeConfig = fastify.config.recording.store;
      const ttlSeconds = storeConfig.kind === 's3' ? storeConfig.presignTtlSeconds : 0;
      const presignedUrl =
        recording.status === 'uploaded' && ttlSeconds > 0
          ? await fastify.recordings.store.presignedUrl(recording.storageKey, ttlSeconds)
          : null;
      return {
        ...present(recording),
        presignedUrl,
        presignedUrlExpiresAt: presignedUrl
          ? new Date(Date.now() + ttlSeconds * 1000).toISOString()
          : null,
      };
    },
  );

  // GET and HEAD in one route: Fastify's automatic HEAD route would reset Content-Length to 0
  // (and drain a stream payload, i.e. download the object for nothing).
  fastify.route({
    method: ['GET', 'HEAD'],
    url: '/api/recordings/:id/audio',
    config: { access: 'viewer' },
    schema: {
      tags: ['recordings'],
      summary: 'The audio, streamed; supports Range requests (206) so players can seek',
      params: idParams,
      querystring: z.object({ download: z.enum(['0', '1']).optional() }),
      response: {
        200: z.unknown().describe('The whole recording (audio/ogg)'),
        206: z.unknown().describe('The requested byte range'),
        404: errorSchema,
        409: errorSchema,
        416: errorSchema,
      },
    },
    handler: async (request, reply) => {
      const recording = await getRecordingWithCall(fastify.db, request.params.id);
      if (!recording) throw fastify.httpErrors.notFound('No such recording.');
      if (recording.status !== 'uploaded') {
        throw fastify.httpErrors.conflict(
          `The recording is not available (status ${recording.status}).`,
        );
      }
      const { store } = fastify.recordings;
      const object = await store.stat(recording.storageKey);
      if (!object) throw fastify.httpErrors.notFound('The recording is missing from storage.');
      const size = object.sizeBytes;
      const selection = selectBytes(size, request.headers.range);
      if (selection.kind === 'unsatisfiable') return rangeNotSatisfiable(reply, size);

      const disposition = request.query.download === '1' ? 'attachment' : 'inline';
      reply
        .header('accept-ranges', 'bytes')
        .header('content-type', recording.contentType)
        .header('content-disposition', `${disposition}; filename="${recording.callId}.ogg"`)
        .header('cache-control', 'private, no-cache')
        .header('last-modified', object.lastModified.toUTCString());
      if (selection.kind === 'range') {
        reply
          .code(206)
          .header('content-range', `bytes ${selection.start}-${selection.end}/${size}`)
          .header('content-length', selection.end - selection.start + 1);
      } else {
        reply.code(200).header('content-length', size);
      }
      if (request.method === 'HEAD') return reply.send();
      const range = selection.kind === 'range' ? selection : undefined;
      return reply.send(await store.read(recording.storageKey, range));
    },
  });

  fastify.delete(
    '/api/recordings/:id',
    {
      config: { access: 'supervisor' },
      schema: {
        tags: ['recordings'],
        summary: 'Deletes the stored audio and the recording',
        params: idParams,
        response: { 204: z.null().describe('Deleted'), 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const recording = await getRecordingWithCall(fastify.db, request.params.id);
      if (!recording) throw fastify.httpErrors.notFound('No such recording.');
      if (recording.status === 'recording' || recording.status === 'pending') {
        throw fastify.httpErrors.conflict(
          `The recording is still ${recording.status === 'recording' ? 'being recorded' : 'waiting for upload'}.`,
        );
      }
      // Object first: a failure leaves the row, so the delete can simply be repeated.
      await fastify.recordings.store.remove(recording.storageKey);
      await deleteRecording(fastify.db, recording.id);
      request.log.info(
        { recordingId: recording.id, callId: recording.callId },
        'recording deleted',
      );
      return reply.code(204).send(null);
    },
  );
};

export default recordingRoutes;
