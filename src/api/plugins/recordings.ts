import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebhookEvent } from 'livekit-server-sdk';
import {
  createRecordingStore,
  EgressReconciler,
  EgressRecorder,
  handleEgressEvent,
  RetentionJob,
  UploadWorker,
  type RecordingStore,
} from '../../egress/index.js';
import type { Logger } from '../../observability/logger.js';

export interface RecordingServices {
  store: RecordingStore;
  /** Set in egress mode (RECORDING_MODE=egress, which requires LiveKit and S3 settings). */
  egressRecorder: EgressRecorder | null;
  /** Uploads recordings spooled in RECORDINGS_SPOOL_DIR (shared with the worker). */
  uploadWorker: UploadWorker | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    recordings: RecordingServices;
  }
}

export interface RecordingsPluginOptions {
  logger?: Logger | undefined;
  /** Upload worker, egress reconciliation and scheduled retention; on unless false. */
  backgroundJobs?: boolean;
}

interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

/**
 * Egress webhooks settle recording rows; in egress mode the caller's audio track starts the egress
 * and the caller leaving stops it. Handler errors reach the webhooks route, which answers 5xx so
 * LiveKit retries (every handler is idempotent).
 */
function subscribeToWebhooks(
  fastify: FastifyInstance,
  services: RecordingServices,
  logger: Logger | undefined,
): void {
  const events = fastify.livekitEvents;
  const settle = async (event: WebhookEvent) => {
    await handleEgressEvent({ db: fastify.db, logger }, event);
  };
  events.on('egress_started', settle);
  events.on('egress_updated', settle);
  events.on('egress_ended', settle);
  const recorder = services.egressRecorder;
  if (recorder) {
    events.on('track_published', async (event) => {
      await recorder.onTrackPublished(event);
    });
    events.on('participant_left', (event) => recorder.onParticipantLeft(event));
  }
}

/**
 * Recording in the API process: the configured store (with its `storage` readiness check), egress
 * start/stop and webhook handling in egress mode, the upload worker for spooled agent recordings,
 * egress reconciliation and the scheduled retention purge.
 */
export default fp<RecordingsPluginOptions>(
  async (fastify, options) => {
    const { config, metrics } = fastify;
    const logger = options.logger?.child({ module: 'recordings' });
    const store = createRecordingStore(config.recording.store);
    fastify.readiness.add('storage', () => store.check());

    const storeConfig = config.recording.store;
    // The shared LiveKit clients (null when LIVEKIT_* are not set; config requires them for egress).
    const egress = config.recording.mode === 'egress' ? (fastify.livekit?.egress ?? null) : null;
    const services: RecordingServices = {
      store,
      egressRecorder:
        egress && storeConfig.kind === 's3'
          ? new EgressRecorder({ db: fastify.db, egress, storage: storeConfig, logger })
          : null,
      uploadWorker:
        config.recording.mode === 'off'
          ? null
          : new UploadWorker({
              db: fastify.db,
              store,
              spoolDir: config.recording.spoolDir,
              logger,
              metrics,
            }),
    };
    fastify.decorate('recordings', services);

    const jobs: BackgroundJob[] = [];
    if (options.backgroundJobs ?? true) {
      if (services.uploadWorker) jobs.push(services.uploadWorker);
      if (egress) jobs.push(new EgressReconciler({ db: fastify.db, egress, logger }));
      if (config.recording.retentionDays) {
        jobs.push(
          new RetentionJob({
            db: fastify.db,
            store,
            retentionDays: config.recording.retentionDays,
            intervalMs: config.recording.retentionCheckIntervalMs,
            logger,
            metrics,
          }),
        );
      }
    }

    subscribeToWebhooks(fastify, services, logger);
    fastify.addHook('onReady', async () => {
      store.ensureReady().catch((error: unknown) => {
        metrics.storageErrors.inc({ operation: 'ensure_ready' });
        logger?.warn({ err: error }, 'recording storage not ready yet');
      });
      for (const job of jobs) job.start();
    });
    fastify.addHook('onClose', async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    });
  },
  {
    name: 'recordings',
    dependencies: ['database', 'readiness', 'metrics', 'livekit', 'livekit-events'],
  },
);
