import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/databases.js';
import { startTestCall } from '../../test/helpers/agent-harness.js';
import { captureLogs } from '../../test/helpers/log-capture.js';
import { getCall, listTransitions } from '../calls/call-repository.js';
import { listToolCalls } from '../calls/tool-call-repository.js';
import { listTranscript } from '../calls/transcript-repository.js';
import { listTurnMetrics } from '../calls/turn-metrics-repository.js';
import { createMetrics } from '../observability/metrics.js';
import { finalizeCall } from './call-session.js';

describeEachDialect('call session (AgentSession + FakeLLM)', (database) => {
  it('greets, records name and callback number, persists transcript, tools and metrics, and ends on hang-up', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const call = await startTestCall({
      database: database(),
      metrics,
      responses: [
        {
          input: "Hi, I'm Dana Reyes, please call me back on this number",
          toolCalls: [
            { name: 'record_customer_name', args: { name: 'Dana  Reyes' } },
            { name: 'record_callback_number', args: {} },
          ],
        },
        {
          input: '{"saved":true,"read_back":"5 5 5, 0 1 0, 0 7 7 7","is_caller_number":true}',
          content:
            'Thanks Dana. I will have someone call you on five five five, zero one zero, zero seven seven seven.',
        },
      ],
      input: { callerNumber: '+15550100777' },
    });
    const result = await call.say("Hi, I'm Dana Reyes, please call me back on this number");
    result.expect.nextEvent().isFunctionCall({ name: 'record_customer_name' });
    result.expect.nextEvent().isFunctionCall({ name: 'record_callback_number' });
    result.expect
      .nextEvent()
      .isFunctionCallOutput({ output: '{"saved":true,"name":"Dana Reyes"}' });
    result.expect.nextEvent().isFunctionCallOutput();
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    expect(call.data.call.facts).toMatchObject({
      customerName: 'Dana Reyes',
      callbackNumber: '+15550100777',
    });

    await call.session.close(); // the caller hangs up
    expect(await call.ended).toBe('hung_up');
    const { db } = database();
    const stored = await getCall(db, call.data.call.id);
    expect(stored).toMatchObject({
      state: 'ended',
      outcome: 'hung_up',
      customerName: 'Dana Reyes',
      callbackNumber: '+15550100777',
    });
    expect((await listTransitions(db, call.data.call.id)).map((t) => t.to)).toEqual([
      'greeting',
      'information_gathering',
      'ended',
    ]);
    const transcript = await listTranscript(db, call.data.call.id);
    expect(transcript.map((l) => l.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(transcript[0]?.text).toContain('Thanks for calling Riverside Motors');
    const tools = await listToolCalls(db, call.data.call.id);
    expect(tools.map((t) => t.name)).toEqual(['record_customer_name', 'record_callback_number']);
    expect(tools[0]).toMatchObject({ arguments: { name: 'Dana  Reyes' }, error: null });
    expect(tools[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const turns = await listTurnMetrics(db, call.data.call.id);
    expect(turns.length).toBeGreaterThan(0);
    expect(turns[0]?.llmTtftMs).toBeGreaterThanOrEqual(0);
    expect(turns[0]?.totalMs).toBe(turns[0]?.llmTtftMs);
    const ended = await metrics.callsEnded.get();
    expect(ended.values).toEqual([
      expect.objectContaining({ labels: { outcome: 'hung_up' }, value: 1 }),
    ]);
    expect((await metrics.turnLatency.get()).values.some((v) => v.labels.stage === 'total')).toBe(
      true,
    );
  });

  it('turns a tool error into what the caller may hear and counts it', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const call = await startTestCall({
      database: database(),
      metrics,
      input: { callerNumber: null },
      responses: [
        { input: 'call me back', toolCalls: [{ name: 'record_callback_number', args: {} }] },
        {
          input:
            'The number they are calling from is not known. Ask the caller for a callback number.',
          content: 'Sure, what number should we call?',
        },
      ],
    });
    const result = await call.say('call me back');
    result.expect.skipNext();
    result.expect.nextEvent().isFunctionCallOutput({ isError: true });
    result.expect.nextEvent().isMessage({ role: 'assistant' });
    await call.session.close();
    await call.ended;
    const tools = await listToolCalls(database().db, call.data.call.id);
    expect(tools[0]).toMatchObject({ name: 'record_callback_number', output: null });
    expect(tools[0]?.error).toContain('not known');
    expect((await metrics.toolErrors.get()).values).toEqual([
      expect.objectContaining({ labels: { tool: 'record_callback_number' }, value: 1 }),
    ]);
  });

  it('rejects and logs an invalid transition without applying it', async () => {
    const { logger, lines } = captureLogs();
    const call = await startTestCall({ database: database(), logger, responses: [] });
    expect(call.data.call.state).toBe('greeting');
    expect(call.data.call.transition('initializing', 'bogus')).toBe(false);
    expect(call.data.call.state).toBe('greeting');
    expect(lines().find((l) => l.msg === 'call state transition rejected')).toMatchObject({
      from: 'greeting',
      to: 'initializing',
      callId: call.data.call.id,
    });
    await call.session.close();
    await call.ended;
    const transitions = await listTransitions(database().db, call.data.call.id);
    expect(transitions.map((t) => `${t.from}->${t.to}`)).toEqual([
      'initializing->greeting',
      'greeting->ended',
    ]);
  });

  it('marks a call whose session died of an error as failed', async () => {
    const call = await startTestCall({ database: database(), responses: [] });
    await call.crash(); // detach the normal close handling, then end as an error would
    expect(await finalizeCall(call.deps, call.data, 'error', true)).toBe('failed');
    expect(await getCall(database().db, call.data.call.id)).toMatchObject({
      state: 'failed',
      outcome: 'failed',
      endReason: 'error',
    });
    expect((await listTransitions(database().db, call.data.call.id)).map((t) => t.to)).toEqual([
      'greeting',
      'failed',
    ]);
  });
});
