import { describe, expect, it } from 'vitest';
import { directMetricsSink, observationSchema } from './metrics-sink.js';
import { createMetrics } from './metrics.js';

describe('directMetricsSink', () => {
  it('keeps active calls, outcomes and latencies in this process', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const sink = directMetricsSink(metrics);
    sink.record({ type: 'callStarted', callId: 'a' });
    sink.record({ type: 'callStarted', callId: 'b' });
    sink.record({ type: 'callEnded', callId: 'a', outcome: 'transferred' });
    sink.record({ type: 'turnLatency', stage: 'end_of_utterance', ms: 250 });
    sink.record({ type: 'recordingUploadsPending', count: 4 });
    sink.record({ type: 'recordingUploadFailed' });
    sink.record({ type: 'databaseError', operation: 'insert_transcript' });

    expect((await metrics.activeCalls.get()).values[0]?.value).toBe(1);
    expect((await metrics.callsEnded.get()).values).toEqual([
      expect.objectContaining({ labels: { outcome: 'transferred' }, value: 1 }),
    ]);
    const sum = (await metrics.turnLatency.get()).values.find((v) =>
      v.metricName?.endsWith('_sum'),
    );
    expect(sum).toMatchObject({ labels: { stage: 'end_of_utterance' }, value: 0.25 });
    expect((await metrics.recordingUploadsPending.get()).values[0]?.value).toBe(4);
    expect((await metrics.recordingUploadsFailed.get()).values[0]?.value).toBe(1);
    expect((await metrics.databaseErrors.get()).values[0]).toMatchObject({
      labels: { operation: 'insert_transcript' },
      value: 1,
    });
  });

  it('accepts only the known stages and bounded labels', () => {
    expect(
      observationSchema.safeParse({ type: 'turnLatency', stage: 'total', ms: 1 }).success,
    ).toBe(true);
    expect(observationSchema.safeParse({ type: 'turnLatency', stage: 'stt', ms: 1 }).success).toBe(
      false,
    );
    expect(observationSchema.safeParse({ type: 'toolError', tool: '' }).success).toBe(false);
  });
});
