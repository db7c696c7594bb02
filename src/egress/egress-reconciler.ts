import type { EgressClient } from 'livekit-server-sdk';
import type { Db } from '../db/index.js';
import type { Logger } from '../observability/logger.js';
import { finalizeEgress, isFinalEgressStatus, releaseAgentFallback } from './egress-events.js';
import { PeriodicJob } from './periodic-job.js';
import { listActiveEgressRecordings } from './recording-queries.js';
import { updateRecording, type Recording } from './recording-repository.js';

export interface EgressReconcilerOptions {
  db: Db;
  egress: EgressClient;
  logger?: Logger | undefined;
  now?: () => Date;
  /** How often to look (besides once at start). */
  intervalMs?: number;
  /** A recording LiveKit does not know about (or never got an egress id) is failed after this. */
  staleAfterMs?: number;
}

export interface ReconcileResult {
  /** Rows settled from LiveKit's answer (webhook missed). */
  settled: string[];
  /** Rows failed because LiveKit has no such egress. */
  lost: string[];
}

/**
 * Settles egress recordings whose `egress_ended` webhook never arrived, by asking LiveKit
 * (`ListEgress`) at start-up and periodically.
 */
export class EgressReconciler {
  private readonly now: () => Date;
  private readonly job: PeriodicJob<ReconcileResult>;

  constructor(private readonly options: EgressReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
    this.job = new PeriodicJob(() => this.pass(), {
      intervalMs: options.intervalMs ?? 5 * 60_000,
      onError: (error) => options.logger?.warn({ err: error }, 'egress reconciliation failed'),
    });
  }

  runOnce(): Promise<ReconcileResult> {
    return this.job.runOnce();
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async pass(): Promise<ReconcileResult> {
    const result: ReconcileResult = { settled: [], lost: [] };
    for (const recording of await listActiveEgressRecordings(this.options.db)) {
      const outcome = await this.reconcile(recording);
      if (outcome === 'settled') result.settled.push(recording.id);
      if (outcome === 'lost') result.lost.push(recording.id);
    }
    return result;
  }

  private async reconcile(recording: Recording): Promise<'settled' | 'lost' | 'active'> {
    const { db, egress, logger } = this.options;
    const info = recording.egressId
      ? (await egress.listEgress({ egressId: recording.egressId }))[0]
      : undefined;
    if (info && isFinalEgressStatus(info.status)) {
      const settled = await finalizeEgress({ db, logger, now: this.now }, info);
      return settled ? 'settled' : 'active';
    }
    if (info) return 'active';
    const age = this.now().getTime() - new Date(recording.createdAt).getTime();
    if (age < (this.options.staleAfterMs ?? 10 * 60_000)) return 'active';
    const error = recording.egressId ? 'egress unknown to LiveKit' : 'egress never started';
    const changed = await updateRecording(
      db,
      recording.id,
      { status: 'failed', error, endedAt: this.now().toISOString() },
      this.now(),
      ['recording'],
    );
    if (!changed) return 'active';
    logger?.warn({ callId: recording.callId, error }, 'egress recording given up');
    await releaseAgentFallback(db, recording.callId, this.now());
    return 'lost';
  }
}
