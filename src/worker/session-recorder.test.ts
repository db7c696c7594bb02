import { type metrics as lkMetrics, voice } from '@livekit/agents';
import { expect, it, vi } from 'vitest';
import { startTestCall } from '../../test/helpers/agent-harness.js';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { listTurnMetrics } from '../calls/turn-metrics-repository.js';

describeEachDialect('session recorder: turn metrics', (database) => {
  it('stores a turn with tool calls as one row, written once when the agent listens again', async () => {
    const call = await startTestCall({
      database: database(),
      responses: [
        {
          input: 'My name is Dana Reyes',
          toolCalls: [{ name: 'record_customer_name', args: { name: 'Dana Reyes' } }],
          ttft: 5,
          duration: 10,
        },
        {
          input: '{"saved":true,"name":"Dana Reyes"}',
          content: 'Thanks, Dana.',
          ttft: 5,
          duration: 10,
        },
      ],
    });
    // A passthrough spy: it counts the writes the turn queues, nothing is replaced.
    const enqueue = vi.spyOn(call.data.queue, 'enqueue');
    await call.say('My name is Dana Reyes');
    await call.data.queue.flush();

    const metricWrites = enqueue.mock.calls.filter(([operation]) => operation === 'turn_metrics');
    expect(metricWrites).toHaveLength(1);
    const [turn, ...others] = await listTurnMetrics(database().db, call.data.call.id);
    expect(others).toEqual([]);
    // Both generations of the turn (before and after the tool) are in the one row.
    expect(turn?.llmTtftMs).toBeGreaterThanOrEqual(5);
    expect(turn?.llmDurationMs).toBeGreaterThanOrEqual(20);
    expect(turn?.totalMs).toBe(turn?.llmTtftMs);

    await call.session.close();
    await call.ended;
    expect(await listTurnMetrics(database().db, call.data.call.id)).toEqual([turn]);
  });

  it('stores metrics that arrive after the agent listened again when the call ends', async () => {
    const call = await startTestCall({ database: database(), responses: [] });
    // A late LLM report for a turn (the framework's own event, emitted as it would be).
    const metrics: lkMetrics.LLMMetrics = {
      type: 'llm_metrics',
      label: 'late',
      requestId: 'req_late',
      timestamp: Date.now(),
      durationMs: 40,
      ttftMs: 12,
      cancelled: false,
      completionTokens: 1,
      promptTokens: 1,
      promptCachedTokens: 0,
      totalTokens: 2,
      tokensPerSecond: 25,
      speechId: 'speech_late',
    };
    call.session.emit(
      voice.AgentSessionEventTypes.MetricsCollected,
      voice.createMetricsCollectedEvent({ metrics }),
    );
    await call.data.queue.flush();
    expect(await listTurnMetrics(database().db, call.data.call.id)).toEqual([]);
    await call.session.close();
    await call.ended;
    expect(await listTurnMetrics(database().db, call.data.call.id)).toMatchObject([
      { speechId: 'speech_late', llmTtftMs: 12, llmDurationMs: 40, totalMs: 12 },
    ]);
  });
});
