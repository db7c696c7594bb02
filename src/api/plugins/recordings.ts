import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { EgressClient, WebhookEvent } from 'livekit-server-sdk';
import type { Config } from '../../config/index.js';
import {
  createEgressClient,
  createRecordingStore,
  EgressReconciler,
  EgressRecorder,
  handleEgressEvent,
  RetentionJob,
  UploadWorker,
  type RecordingStore,
} from '../../egress/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';

export interface RecordingServices {
  store: RecordingStore;
  /** Set in egress mode (RECORDING_MODE=egress with LiveKit configured). */
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
  metrics?: Metrics | undefined;
  /** Builds the egress client (until the shared LiveKit clients land, from config.livekit). */
  egressClient?: (livekit: Config['livekit']) => EgressClient;
  /** Upload worker, egress reconciliation and scheduled retention; on unless false. */
  backgroundJobs?: boolean;
}

/** What the webhooks plugin (`fastify.livekitEvents`, owned by telephony) looks like from here. */
interface LiveKitEventSource {
  on(event: string, listener: (event: WebhookEvent) => unknown): unknown;
}

interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

function subscribeToWebhooks(
  fastify: FastifyInstance,
  services: RecordingServices,
  logger: Logger | undefined,
): void {
  if (!fastify.hasDecorator('livekitEvents')) {
    logger?.info('no LiveKit webhook events here; egress recordings settle by reconciliation');
    return;
  }
  const events = (fastify as unknown as { livekitEvents: LiveKitEventSource }).livekitEvents;
  const safely = (name: string, work: (event: WebhookEvent) => Promise<unknown>) =>
    events.on(name, (event) => {
      void work(event).catch((error: unknown) =>
        logger?.error(
          { err: error, webhook: name, eventId: event.id },
          'recording webhook handler failed',
        ),
      );
    });
  for (const name of ['egress_started', 'egress_updated', 'egress_ended']) {
    safely(name, (event) => handleEgressEvent({ db: fastify.db, logger }, event));
  }
  const recorder = services.egressRecorder;
  if (recorder) {
    safely('track_published', (event) => recorder.onTrackPublished(event));
    safely('participant_left', (event) => recorder.onParticipantLeft(event));
  }
}

/**
 * Recording in the API process: the configured store (with its `storage` readiness check), egress
 * start/stop and webhook handling in egress mode, the upload worker for spooled agent recordings,
 * egress reconciliation and the scheduled retention purge.
 */
export default fp<RecordingsPluginOptions>(
  async (fastify, options) => {
    const { config } = fastify;
    const logger = options.logger?.child({ module: 'recordings' });
    const { metrics } = options;
    const store = createRecordingStore(config.recording.store);
    fastify.readiness.add('storage', () => store.check());

    const storeConfig = config.recording.store;
    const egressEnabled =
      config.recording.mode === 'egress' && storeConfig.kind === 's3' && config.livekit.configured;
    const egress = egressEnabled
      ? (options.egressClient ?? createEgressClient)(config.livekit)
      : null;
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

    // Subscribing once everything is registered works whichever of the two plugins loads first.
    fastify.addHook('onReady', async () => {
      subscribeToWebhooks(fastify, services, logger);
      store.ensureReady().catch((error: unknown) => {
        metrics?.storageErrors.inc({ operation: 'ensure_ready' });
        logger?.warn({ err: error }, 'recording storage not ready yet');
      });
      for (const job of jobs) job.start();
    });
    fastify.addHook('onClose', async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    });
  },
  { name: 'recordings', dependencies: ['database', 'readiness'] },
);
